package org.classtop.pluginloader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.classtop.testplugins.CountingGreeter;
import org.classtop.testplugins.Greet;
import org.classtop.testplugins.Greeter;
import org.classtop.testplugins.GreeterConsumer;
import org.classtop.testplugins.GreeterProvider;
import org.classtop.testplugins.RecordingLifecycle;
import org.classtop.testplugins.ThrowingExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins changing while the process runs, with real jars through PF4J: load, disable and enable (the
 * dependents follow), replace v1 by v2 (the dependent gets a new class loader linked to v2), unload, and a
 * jar that says it cannot be unloaded.
 */
class PluginRuntimeChangesTest {
    @TempDir
    Path work;

    private Path folder;
    private TestSide side;
    private PluginRuntime<AgentDeclarations> runtime;

    @BeforeEach
    void setUp() throws Exception {
        folder = Files.createDirectories(work.resolve("jars"));
        side = new TestSide(work.resolve("data"));
        runtime = new PluginRuntime<>(side, Guice.createInjector());
        runtime.pluginsRoot(folder, "1.0.0");
    }

    @AfterEach
    void tearDown() {
        runtime.close();
    }

    private PluginRecord<AgentDeclarations> record(String id) {
        return runtime.plugin(id).orElseThrow(() -> new AssertionError("no record of " + id + " in " + runtime.plugins()));
    }

    private Path provider(String version, Map<String, String> extra) throws Exception {
        return TestJars.write(folder, "greeter", version, null, List.of(GreeterProvider.class),
                List.of(GreeterProvider.class, Greeter.class, CountingGreeter.class, RecordingLifecycle.class), extra);
    }

    private Path consumer() throws Exception {
        return TestJars.write(folder, "polite", "1.0.0", "greeter", List.of(GreeterConsumer.class),
                List.of(GreeterConsumer.class, Greet.class, RecordingLifecycle.class), Map.of());
    }

    private String greeterLoader() throws Exception {
        return (String) ((Map<?, ?>) side.call("greet")).get("greeter_loader");
    }

    @Test
    void aJarLoadedAtRuntimeStartsAndReadsItsManifest() throws Exception {
        PluginRecord<AgentDeclarations> greeter = runtime.loadJar(provider("1.0.0",
                Map.of("Plugin-Platforms", "linux-x86_64, windows-x86_64")));
        assertEquals(PluginRecord.STARTED, greeter.state(), greeter.error());
        assertEquals(List.of("linux-x86_64", "windows-x86_64"), greeter.unit().platforms());
        assertTrue(greeter.unit().unloadable());
        assertEquals(folder.resolve("greeter-1.0.0.jar").toAbsolutePath(), greeter.unit().jar().orElseThrow());
        PluginRecord<AgentDeclarations> polite = runtime.loadJar(consumer());
        assertEquals(PluginRecord.STARTED, polite.state(), polite.error());
        assertEquals(String.valueOf(greeter.classLoader()), greeterLoader());
    }

    @Test
    void aJarIsDescribedByItsManifestEvenWhenItHoldsAPluginProperties() throws Exception {
        Path jar = provider("1.0.0", Map.of());
        try (java.nio.file.FileSystem zip = java.nio.file.FileSystems.newFileSystem(jar)) {
            Files.writeString(zip.getPath("plugin.properties"), "plugin.id=impostor\nplugin.version=9.9.9\n");
        }
        PluginRecord<AgentDeclarations> loaded = runtime.loadJar(jar);
        assertEquals("greeter", loaded.id());
        assertEquals("1.0.0", loaded.version());
        assertEquals(PluginRecord.STARTED, loaded.state(), loaded.error());
    }

    @Test
    void anUnloadedOrReplacedPluginsClassLoaderCanBeCollected() throws Exception {
        java.lang.ref.WeakReference<ClassLoader> v1 = new java.lang.ref.WeakReference<>(
                runtime.loadJar(provider("1.0.0", Map.of())).classLoader());
        runtime.replace("greeter", provider("2.0.0", Map.of()));
        java.lang.ref.WeakReference<ClassLoader> v2 = new java.lang.ref.WeakReference<>(record("greeter").classLoader());
        runtime.unload("greeter");
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while ((v1.get() != null || v2.get() != null) && System.nanoTime() < deadline) {
            System.gc();
            Thread.onSpinWait();
        }
        assertNull(v1.get(), "the replaced version's class loader is collectable");
        assertNull(v2.get(), "the unloaded plugin's class loader is collectable");
    }

    @Test
    void disablingAProviderStopsItsDependentAndEnablingStartsBoth() throws Exception {
        runtime.loadJar(provider("1.0.0", Map.of()));
        runtime.loadJar(consumer());
        side.call("greet");
        assertEquals(List.of("polite", "greeter"), runtime.disable("greeter"));
        assertEquals(PluginRecord.DISABLED, record("greeter").state());
        assertNull(record("greeter").error());
        assertEquals(PluginRecord.DISABLED, record("polite").state());
        assertEquals("Plugin 'polite' needs plugin 'greeter', which is disabled.", record("polite").error());
        assertTrue(side.commands.isEmpty(), "the command left with its plugin");

        assertEquals(List.of("greeter", "polite"), runtime.enable("greeter"));
        assertEquals(PluginRecord.STARTED, record("polite").state(), record("polite").error());
        assertEquals(1, ((Map<?, ?>) side.call("greet")).get("count"), "a new provider instance");
        assertEquals(List.of("greeter", "polite"), runtime.restart("greeter"));
    }

    @Test
    void replacingAProviderLoadsItsDependentAgainAgainstTheNewClasses() throws Exception {
        PluginRecord<AgentDeclarations> v1 = runtime.loadJar(provider("1.0.0", Map.of()));
        ClassLoader consumerV1 = runtime.loadJar(consumer()).classLoader();
        assertEquals(String.valueOf(v1.classLoader()), greeterLoader());

        PluginRecord<AgentDeclarations> v2 = runtime.replace("greeter", provider("2.0.0", Map.of()));
        assertEquals(PluginRecord.STARTED, v2.state(), v2.error());
        assertEquals("2.0.0", record("greeter").version());
        assertEquals(PluginRecord.STARTED, record("polite").state(), record("polite").error());
        assertNotEquals(consumerV1, record("polite").classLoader(), "the dependent gets a new class loader");
        assertNotEquals(v1.classLoader(), v2.classLoader());
        assertEquals(String.valueOf(v2.classLoader()), greeterLoader(), "the dependent calls version 2");
        assertEquals(List.of("greeter", "polite"), runtime.plugins().stream().map(PluginRecord::id).toList());
    }

    @Test
    void unloadingAProviderParksItsDependentUntilItComesBack() throws Exception {
        Path jar = provider("1.0.0", Map.of());
        runtime.loadJar(jar);
        ClassLoader consumerBefore = runtime.loadJar(consumer()).classLoader();
        assertEquals(List.of("polite", "greeter"), runtime.unload("greeter"));
        assertTrue(runtime.plugin("greeter").isEmpty());
        assertEquals(PluginRecord.DISABLED, record("polite").state());
        assertEquals("Plugin 'polite' needs plugin 'greeter', which is not installed.", record("polite").error());
        assertTrue(side.commands.isEmpty());

        PluginRecord<AgentDeclarations> back = runtime.loadJar(jar);
        assertEquals(PluginRecord.STARTED, back.state(), back.error());
        assertEquals(PluginRecord.STARTED, record("polite").state(), record("polite").error());
        assertNotEquals(consumerBefore, record("polite").classLoader());
        assertEquals(String.valueOf(back.classLoader()), greeterLoader());
    }

    @Test
    void aJarThatCannotBeUnloadedWaitsForARestart() throws Exception {
        PluginRecord<AgentDeclarations> v1 = runtime.loadJar(provider("1.0.0", Map.of("Plugin-Unloadable", "false")));
        runtime.loadJar(consumer());
        assertFalse(v1.unit().unloadable());

        PluginRecord<AgentDeclarations> after = runtime.replace("greeter", provider("2.0.0", Map.of()));
        assertEquals(PluginRecord.RESTART_REQUIRED, after.state());
        assertEquals("Version 2.0.0 is installed and starts at the next restart: plugin 'greeter' loads native code"
                + " and cannot be replaced while running.", after.error());
        assertTrue(after.isRunning(), "version 1 keeps running");
        assertEquals("1.0.0", record("greeter").version());
        assertEquals(String.valueOf(v1.classLoader()), greeterLoader());

        assertEquals(List.of("polite", "greeter"), runtime.unload("greeter"));
        assertEquals(PluginRecord.RESTART_REQUIRED, record("greeter").state());
        assertFalse(record("greeter").isRunning());
        assertEquals("Plugin 'greeter' is stopped and leaves at the next restart: it loads native code and cannot be"
                + " unloaded while running.", record("greeter").error());
        assertTrue(side.commands.isEmpty());
    }

    @Test
    void aJarWhoseExtensionConstructorThrowsIsFailedNotStarted() throws Exception {
        runtime.loadJar(provider("1.0.0", Map.of()));
        PluginRecord<AgentDeclarations> thrower = runtime.loadJar(TestJars.write(folder, "thrower", "1.0.0", null,
                List.of(ThrowingExtension.class), List.of(ThrowingExtension.class), Map.of()));
        assertEquals(PluginRecord.FAILED, thrower.state());
        assertFalse(thrower.isRunning());
        assertTrue(thrower.error().startsWith("Plugin 'thrower': creating its extension " + ThrowingExtension.class.getName()
                + " failed: java.lang.IllegalStateException: the constructor says no"), thrower.error());
        assertEquals(PluginRecord.STARTED, record("greeter").state(), "the others run");
    }
}
