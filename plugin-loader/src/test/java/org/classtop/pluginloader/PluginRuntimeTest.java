package org.classtop.pluginloader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.classtop.api.server.Events;
import org.classtop.testplugins.GreeterConsumer;
import org.classtop.testplugins.GreeterProvider;
import org.classtop.testplugins.RecordingLifecycle;
import org.classtop.testplugins.Scripted;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one plugin wiring, in-process: ids, order, loud errors, services, the injector boundary and stop order. */
class PluginRuntimeTest {
    @TempDir
    Path data;

    private TestSide side;
    private PluginRuntime<AgentDeclarations> runtime;
    private final Events platformEvents = event -> { };

    @BeforeEach
    void setUp() {
        RecordingLifecycle.CALLS.clear();
        side = new TestSide(data);
        Injector platform = Guice.createInjector(binder -> {
            binder.bind(Events.class).toInstance(platformEvents);
            binder.bind(DefaultPluginContext.class).toInstance(
                    new DefaultPluginContext("platform", "1", data, name -> null, name -> null));
        });
        runtime = new PluginRuntime<>(side, platform);
    }

    private boolean install(String id, Object plugin, String... dependencies) {
        return runtime.install(PluginUnit.inProcess(id, "1.0.0", List.of(dependencies), plugin));
    }

    private PluginRecord<AgentDeclarations> record(String id) {
        return runtime.plugin(id).orElseThrow(() -> new AssertionError("no record of " + id));
    }

    private static Scripted echo(String command) {
        return new Scripted(p -> p.declareCommand(command).to(org.classtop.testplugins.Echo.class));
    }

    @Test
    void idsFollowTheOneRule() {
        for (String bad : List.of("Echo", "e", "1echo", "echo_1", "echo.x", "-echo", "a".repeat(65))) {
            assertFalse(install(bad, echo("c" + Math.abs(bad.hashCode()))), bad);
            assertEquals(PluginRecord.FAILED, record(bad).state(), bad);
            assertTrue(record(bad).error().startsWith("Plugin '" + bad + "' has an id that breaks the rule"), record(bad).error());
        }
        assertTrue(side.commands.isEmpty(), "nothing of a refused plugin is registered: " + side.commands);
        assertTrue(install("e1", echo("one")));
        assertTrue(install("echo-2", echo("two")));
        assertTrue(install("a" + "b".repeat(63), echo("three")));
    }

    @Test
    void aSecondPluginWithTheSameIdIsRefusedAndTheFirstKeepsRunning() throws Exception {
        assertTrue(install("echo", echo("first")));
        assertFalse(install("echo", echo("second")));
        assertEquals(1, runtime.plugins().size());
        assertEquals("first", side.call("first"));
        assertFalse(side.commands.containsKey("second"));
    }

    @Test
    void unfinishedAndDuplicateDeclarationsFailLoudly() {
        install("no-handler", new Scripted(p -> p.declareCommand("half")));
        assertEquals("Plugin 'no-handler' declares command 'half' (call .to(Handler.class)) but never finishes it.",
                record("no-handler").error());

        install("twice", new Scripted(p -> {
            p.declareCommand("dup").to(org.classtop.testplugins.Echo.class);
            p.declareCommand("dup").to(org.classtop.testplugins.Echo.class);
        }));
        assertEquals("Plugin 'twice' declares command 'dup' twice.", record("twice").error());

        install("no-impl", new Scripted(p -> p.declareExport(org.classtop.testplugins.Greeter.class)));
        assertTrue(record("no-impl").error().contains("the service org.classtop.testplugins.Greeter"), record("no-impl").error());
        assertTrue(side.commands.isEmpty());
    }

    @Test
    void aCommandAnotherPluginProvidesFailsTheLaterPluginWhole() throws Exception {
        install("first", echo("ping"));
        install("second", new Scripted(p -> {
            p.declareCommand("second_only").to(org.classtop.testplugins.Echo.class);
            p.declareCommand("ping").to(org.classtop.testplugins.Echo.class);
        }));
        assertEquals(PluginRecord.FAILED, record("second").state());
        assertEquals("Plugin 'second' failed: Command 'ping' is already provided by plugin 'first'.", record("second").error());
        assertFalse(side.commands.containsKey("second_only"), "what the failed plugin registered is removed");
        assertEquals("ping", side.call("ping"));
    }

    @Test
    void consumersShareTheProvidersServiceInstance() throws Exception {
        assertTrue(install("greeter", new GreeterProvider()));
        assertTrue(install("polite", new GreeterConsumer("greet_polite"), "greeter"));
        assertTrue(install("loud", new GreeterConsumer("greet_loud"), "greeter"));
        runtime.startAll();

        Map<?, ?> first = (Map<?, ?>) side.call("greet_polite");
        Map<?, ?> second = (Map<?, ?>) side.call("greet_loud");
        assertEquals(1, first.get("count"));
        assertEquals(2, second.get("count"), "one instance: the second consumer sees the first one's call");
        assertEquals(first.get("greeter"), second.get("greeter"));
        assertEquals(List.of("org.classtop.testplugins.Greeter"), record("greeter").exports());
        assertEquals(List.of("greeter"), record("loud").dependencies());
    }

    @Test
    void aPluginThatInjectsAServiceWithoutDependingOnItsProviderFails() {
        install("greeter", new GreeterProvider());
        install("stranger", new GreeterConsumer("greet_stranger"));
        assertEquals(PluginRecord.FAILED, record("stranger").state());
        assertTrue(record("stranger").error().startsWith("Plugin 'stranger' failed:"), record("stranger").error());
        assertTrue(record("stranger").error().contains("Greeter"), record("stranger").error());
    }

    @Test
    void aMissingOrFailedProviderFailsItsConsumerByName() {
        install("orphan", new GreeterConsumer("greet_orphan"), "greeter");
        assertEquals("Plugin 'orphan' needs plugin 'greeter', which is not installed.", record("orphan").error());

        side.environment.put("GREETER_FAIL", "yes");
        install("greeter", new GreeterProvider());
        install("polite", new GreeterConsumer("greet_polite"), "greeter");
        assertEquals(PluginRecord.WIRED, record("polite").state());
        runtime.startAll();
        assertEquals("Plugin 'greeter' failed: the test asked greeter to fail.", record("greeter").error());
        assertEquals(PluginRecord.FAILED, record("polite").state());
        assertEquals("Plugin 'polite' needs plugin 'greeter', which failed: Plugin 'greeter' failed: the test asked greeter to fail.",
                record("polite").error());
        assertFalse(side.commands.containsKey("greet_polite"), "the consumer's command is removed");
        assertFalse(RecordingLifecycle.CALLS.contains("start polite"));

        install("late", new GreeterConsumer("greet_late"), "greeter");
        assertTrue(record("late").error().startsWith("Plugin 'late' needs plugin 'greeter', which failed:"), record("late").error());
    }

    @Test
    void lifecyclesStartInDependencyOrderAndStoppingAProviderStopsItsDependentsFirst() throws Exception {
        install("greeter", new GreeterProvider());
        install("polite", new GreeterConsumer("greet_polite"), "greeter");
        install("bystander", new Scripted(p -> p.declareLifecycle(RecordingLifecycle.class)));
        runtime.startAll();
        assertEquals(List.of("start greeter", "start polite", "start bystander"), RecordingLifecycle.CALLS);

        RecordingLifecycle.CALLS.clear();
        assertEquals(List.of("polite", "greeter"), runtime.stop("greeter"));
        assertEquals(List.of("stop polite", "stop greeter"), RecordingLifecycle.CALLS);
        assertEquals(PluginRecord.DISABLED, record("polite").state());
        assertEquals(PluginRecord.DISABLED, record("greeter").state());
        assertEquals(PluginRecord.STARTED, record("bystander").state());
        assertFalse(side.commands.containsKey("greet_polite"), "a stopped plugin's commands are removed");

        RecordingLifecycle.CALLS.clear();
        runtime.close();
        assertEquals(List.of("stop bystander"), RecordingLifecycle.CALLS, "close stops only what still runs");
    }

    @Test
    void aPluginInjectorSeesThePlatformsApiBindingsOnly() {
        install("api-user", new Scripted(p -> p.declareCommand("use_events").to(org.classtop.testplugins.UsesEvents.class)));
        assertEquals(PluginRecord.WIRED, record("api-user").state(), String.valueOf(record("api-user").error()));
        assertSame(platformEvents, org.classtop.testplugins.UsesEvents.seen, "the platform's own Events instance");

        install("peeker", new Scripted(p -> p.declareCommand("peek").to(org.classtop.testplugins.PeeksAtPlatform.class)));
        assertEquals(PluginRecord.FAILED, record("peeker").state());
        assertTrue(record("peeker").error().contains(DefaultPluginContext.class.getName() + ", which is not part of plugin-api"),
                record("peeker").error());
    }

    @Test
    void aPluginWithNothingForThisSideIsRunningButDeclaresNothing() {
        assertTrue(install("server-only", new Object()));
        assertTrue(record("server-only").isRunning());
        assertNull(record("server-only").declarations());
        assertNotNull(record("server-only").classLoader());
    }
}
