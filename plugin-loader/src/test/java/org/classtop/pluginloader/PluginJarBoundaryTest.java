package org.classtop.pluginloader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.classtop.testplugins.CountingGreeter;
import org.classtop.testplugins.Echo;
import org.classtop.testplugins.Greet;
import org.classtop.testplugins.Greeter;
import org.classtop.testplugins.GreeterConsumer;
import org.classtop.testplugins.GreeterProvider;
import org.classtop.testplugins.RecordingLifecycle;
import org.classtop.testplugins.Sneaky;
import org.classtop.testplugins.ThrowingExtension;
import org.classtop.testplugins.UsesPlatformClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real plugin jars through PF4J: what a plugin's class loader sees, loud errors naming the class, and a
 * provider jar whose service a consumer jar injects. The test classes are also on the test class path, but
 * the plugin class loaders do not see it: each jar's copy is the one that runs.
 */
class PluginJarBoundaryTest {
    @TempDir
    Path work;

    private Path folder;
    private TestSide side;
    private PluginRuntime<AgentDeclarations> runtime;

    @BeforeEach
    void setUp() throws Exception {
        folder = Files.createDirectories(work.resolve("plugins"));
        side = new TestSide(work.resolve("data"));
        runtime = new PluginRuntime<>(side, Guice.createInjector());
    }

    @AfterEach
    void tearDown() {
        runtime.close();
    }

    private PluginRecord<AgentDeclarations> record(String id) {
        return runtime.plugin(id).orElseThrow(() -> new AssertionError("no record of " + id + " in " + runtime.plugins()));
    }

    private void writeProvider() throws Exception {
        TestJars.write(folder, "greeter", null, List.of(GreeterProvider.class),
                List.of(GreeterProvider.class, Greeter.class, CountingGreeter.class, RecordingLifecycle.class));
    }

    private void writeConsumer(String id) throws Exception {
        TestJars.write(folder, id, "greeter", List.of(GreeterConsumer.class),
                List.of(GreeterConsumer.class, Greet.class, RecordingLifecycle.class));
    }

    @Test
    void aPluginThatLoadsAPlatformClassByNameIsRefusedNamingIt() throws Exception {
        TestJars.write(folder, "sneaky", null, List.of(Sneaky.class), List.of(Sneaky.class, Echo.class));
        runtime.loadFolder(folder, "1.0.0");
        assertEquals(PluginRecord.FAILED, record("sneaky").state());
        assertTrue(record("sneaky").error().startsWith("Plugin 'sneaky' uses " + Sneaky.TARGET
                + ", which is not part of plugin-api"), record("sneaky").error());
        assertTrue(side.commands.isEmpty());
    }

    @Test
    void aPluginWhoseHandlerNamesAPlatformClassIsRefusedNamingIt() throws Exception {
        TestJars.write(folder, "peeker", null, List.of(UsesPlatformClass.class), List.of(UsesPlatformClass.class));
        runtime.loadFolder(folder, "1.0.0");
        assertEquals(PluginRecord.FAILED, record("peeker").state());
        assertTrue(record("peeker").error().startsWith("Plugin 'peeker' uses " + PluginRuntime.class.getName()
                + ", which is not part of plugin-api"), record("peeker").error());
    }

    @Test
    void aPluginClassLoaderSeesTheApiAndNothingElseOfThePlatform() throws Exception {
        writeProvider();
        runtime.loadFolder(folder, "1.0.0");
        ClassLoader loader = record("greeter").classLoader();
        assertEquals(org.classtop.api.PluginContext.class, loader.loadClass("org.classtop.api.PluginContext"));
        assertEquals(com.google.inject.Injector.class, loader.loadClass("com.google.inject.Injector"));
        assertEquals(org.slf4j.Logger.class, loader.loadClass("org.slf4j.Logger"));
        assertNotNull(loader.loadClass("java.sql.Connection"), "the JDK's modules");
        for (String hidden : List.of(PluginRuntime.class.getName(), ClassTopPluginManager.class.getName(),
                "org.junit.jupiter.api.Test", PluginJarBoundaryTest.class.getName())) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(hidden, false, loader), hidden);
        }
        assertNotEquals(Greeter.class, loader.loadClass(Greeter.class.getName()), "the jar's own copy, not the test's");
        assertNull(loader.getResource("org/classtop/pluginloader/PluginRuntime.class"), "platform resources are hidden");
        assertNotNull(loader.getResource("org/classtop/api/PluginContext.class"), "plugin-api resources are visible");
    }

    @Test
    void aConsumerJarInjectsTheServiceOfItsProviderJar() throws Exception {
        writeProvider();
        writeConsumer("polite");
        runtime.loadFolder(folder, "1.0.0");
        runtime.startAll();
        for (String id : List.of("greeter", "polite")) {
            assertEquals(PluginRecord.STARTED, record(id).state(), id + ": " + record(id).error());
        }
        // One provider instance: the second call counts on from the first.
        Map<?, ?> first = (Map<?, ?>) side.call("greet");
        Map<?, ?> second = (Map<?, ?>) side.call("greet");
        assertEquals(2, second.get("count"));
        assertEquals(first.get("greeter"), second.get("greeter"));
        assertEquals(String.valueOf(record("greeter").classLoader()), first.get("greeter_loader"),
                "the service instance comes from the provider's jar");
        assertEquals(List.of(Greeter.class.getName()), record("greeter").exports());
        assertEquals(List.of("polite", "greeter"), runtime.stop("greeter"), "the dependents stop first");
    }

    @Test
    void aConsumerJarWithoutItsProviderFailsByName() throws Exception {
        writeConsumer("polite");
        runtime.loadFolder(folder, "1.0.0");
        assertEquals(PluginRecord.FAILED, record("polite").state());
        assertEquals("Plugin 'polite' needs plugin 'greeter', which is not installed.", record("polite").error());
    }

    @Test
    void anExtensionWhoseConstructorThrowsFailsItsPluginLoudly() throws Exception {
        TestJars.write(folder, "thrower", null, List.of(ThrowingExtension.class), List.of(ThrowingExtension.class));
        runtime.loadFolder(folder, "1.0.0");
        assertEquals(PluginRecord.FAILED, record("thrower").state());
        assertTrue(record("thrower").error().startsWith("Plugin 'thrower': creating its extension "
                + ThrowingExtension.class.getName() + " failed: java.lang.IllegalStateException: the constructor says no"),
                record("thrower").error());
    }
}
