package org.classtop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.classtop.agent.jarplugin.JarPing;
import org.classtop.agent.jarplugin.JarTestPlugin;
import org.classtop.api.agent.AgentPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads a real plugin jar through PF4J, one that wrongly bundles a copy of the plugin API. */
class PluginJarLoadingTest {
    @TempDir
    Path tempDir;

    @Test
    void loadsTheAgentSideOfAJarEvenWhenItBundlesTheApi() throws Exception {
        Path plugins = Files.createDirectories(tempDir.resolve("plugins"));
        writePluginJar(plugins.resolve("jar-test-1.2.3.jar"), "jar-test", "1.2.3",
                List.of(JarTestPlugin.class, JarPing.class, AgentPlugin.class));
        Files.write(plugins.resolve("garbage-0.1.jar"), new byte[] {1, 2, 3, 4});

        try (FakeServer server = new FakeServer()) {
            AgentConfig config = AgentConfig.builder(server.url()).dataDir(tempDir.resolve("data"))
                    .pluginsDir(plugins).heartbeat(Duration.ofSeconds(5)).build();
            try (AgentRuntime agent = AgentRuntime.builder(config).build()) {
                agent.start();
                assertEquals(List.of("jar-test"), agent.pluginIds());
                assertEquals(List.of("jar_ping"), agent.commands());

                FakeServer.Frame register = server.await("register");
                assertEquals(List.of("jar_ping"), register.json().get("capabilities"));
                Map<String, Object> command = new LinkedHashMap<>();
                command.put("type", "command");
                command.put("request_id", "p-1");
                command.put("command", "jar_ping");
                command.put("params", Map.of());
                register.connection().send(command);

                FakeServer.Frame response = server.await("response");
                assertEquals(Map.of("loader", "ParentFirstPluginClassLoader", "plugin", "jar-test", "version", "1.2.3"),
                        response.data());
                agent.firstRegistration().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void takesThePlatformPackagesFromTheParent() {
        assertTrue(org.classtop.pluginloader.ParentFirstPluginClassLoader.isShared("org.classtop.api.agent.AgentPlugin"));
        assertTrue(org.classtop.pluginloader.ParentFirstPluginClassLoader.isShared("com.fasterxml.jackson.databind.ObjectMapper"));
        assertTrue(org.classtop.pluginloader.ParentFirstPluginClassLoader.isShared("com.google.inject.Injector"));
        assertTrue(!org.classtop.pluginloader.ParentFirstPluginClassLoader.isShared("org.classtop.plugins.settings.SettingsStore"));
        assertTrue(!org.classtop.pluginloader.ParentFirstPluginClassLoader.isShared("org.classtop.apix.Thing"));
    }

    static void writePluginJar(Path jar, String pluginId, String version, List<Class<?>> classes) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Plugin-Id", pluginId);
        main.putValue("Plugin-Version", version);
        main.putValue("Plugin-Provider", "tests");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Class<?> type : classes) {
                String name = type.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(name));
                try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
            out.write((JarTestPlugin.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }
}
