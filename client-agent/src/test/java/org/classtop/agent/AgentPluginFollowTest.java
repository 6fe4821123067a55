package org.classtop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.classtop.agent.jarplugin.JarPing;
import org.classtop.agent.jarplugin.JarTestPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real agent runtime follows the announces of a scripted server: real jars through PF4J, real downloads. */
class AgentPluginFollowTest {
    @TempDir
    Path tempDir;

    private Path jar(String name, String version) throws Exception {
        Path jar = Files.createDirectories(tempDir.resolve("built")).resolve(name);
        PluginJarLoadingTest.writePluginJar(jar, "jar-test", version, List.of(JarTestPlugin.class, JarPing.class));
        return jar;
    }

    private static String sha(byte[] bytes) {
        return HexFormat.of().formatHex(PluginCache.newDigest().digest(bytes));
    }

    private static Map<String, Object> announce(String version, byte[] jar, List<String> off) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "plugins");
        frame.put("plugins", jar == null ? List.of()
                : List.of(Map.of("id", "jar-test", "version", version, "sha256", sha(jar), "platforms", List.of())));
        frame.put("off", off);
        frame.put("download_token", "ctd_test");
        return frame;
    }

    private static Map<String, Object> ping(FakeServer server, FakeServer.Connection connection, String requestId)
            throws InterruptedException {
        connection.send(Map.of("type", "command", "request_id", requestId, "command", "jar_ping", "params", Map.of()));
        return server.await(f -> f.type().equals("response") && requestId.equals(f.json().get("request_id")),
                "the answer to " + requestId).json();
    }

    /** The first frame after the first {@code mark} frames that matches, waiting up to the deadline. */
    private static FakeServer.Frame after(FakeServer server, int mark, java.util.function.Predicate<FakeServer.Frame> match,
                                          String what) throws InterruptedException {
        long deadline = System.nanoTime() + FakeServer.DEADLINE.toNanos();
        while (true) {
            List<FakeServer.Frame> frames = server.frames();
            for (FakeServer.Frame frame : frames.subList(Math.min(mark, frames.size()), frames.size())) {
                if (match.test(frame)) {
                    return frame;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("No " + what + " arrived within " + FakeServer.DEADLINE + "; frames: " + frames);
            }
            Thread.sleep(10);
        }
    }

    @SuppressWarnings("unchecked")
    private static FakeServer.Frame awaitState(FakeServer server, int mark, String state, String sha256)
            throws InterruptedException {
        return after(server, mark, f -> f.type().equals("plugins_state") && ((List<Map<String, Object>>) f.json().get("plugins"))
                .stream().anyMatch(p -> "jar-test".equals(p.get("id")) && state.equals(p.get("state"))
                        && (sha256 == null || sha256.equals(p.get("sha256")))), "plugins_state with jar-test " + state);
    }

    private static List<?> capabilitiesAfter(FakeServer server, int mark) throws InterruptedException {
        return (List<?>) after(server, mark, f -> f.type().equals("register"), "a register frame").json().get("capabilities");
    }

    @Test
    void loadsUpgradesStopsAndRefusesWithoutARestartAndTheNextStartFollowsTheLastAnnounce() throws Exception {
        byte[] v1 = Files.readAllBytes(jar("v1.jar", "1.0.0"));
        byte[] v2 = Files.readAllBytes(jar("v2.jar", "1.1.0"));
        Path emptyPlugins = Files.createDirectories(tempDir.resolve("plugins"));
        Path data = tempDir.resolve("data");
        try (FakeServer server = new FakeServer()) {
            AgentConfig config = AgentConfig.builder(server.url()).dataDir(data).pluginsDir(emptyPlugins)
                    .heartbeat(Duration.ofSeconds(5)).build();
            try (AgentRuntime agent = AgentRuntime.builder(config).build()) {
                agent.start();
                FakeServer.Frame register = server.await("register");
                assertEquals(List.of(), register.json().get("capabilities"));
                FakeServer.Connection connection = register.connection();
                server.await("plugins_state");  // right after register: nothing yet

                server.agentJars.put("jar-test", v1);
                int mark = server.frames().size();
                connection.send(announce("1.0.0", v1, List.of()));
                awaitState(server, mark, "started", sha(v1));
                assertEquals(List.of("jar_ping"), capabilitiesAfter(server, mark), "registers again with the new command");
                assertEquals("1.0.0", ((Map<?, ?>) ping(server, connection, "p-1").get("data")).get("version"));
                assertTrue(Files.exists(data.resolve("plugin-cache/jar-test-" + sha(v1) + ".jar")));

                server.agentJars.put("jar-test", v2);
                mark = server.frames().size();
                connection.send(announce("1.1.0", v2, List.of()));
                awaitState(server, mark, "started", sha(v2));
                assertEquals("1.1.0", ((Map<?, ?>) ping(server, connection, "p-2").get("data")).get("version"));
                assertFalse(Files.exists(data.resolve("plugin-cache/jar-test-" + sha(v1) + ".jar")), "the old jar is pruned");

                mark = server.frames().size();
                connection.send(announce(null, null, List.of("jar-test")));
                awaitState(server, mark, "disabled", sha(v2));
                assertEquals(List.of(), capabilitiesAfter(server, mark));
                assertEquals("Unknown command 'jar_ping': this agent does not provide it.",
                        ((Map<?, ?>) ping(server, connection, "p-3").get("data")).get("error"));

                mark = server.frames().size();
                connection.send(announce("1.1.0", v2, List.of()));
                awaitState(server, mark, "started", sha(v2));
                assertEquals(List.of("jar_ping"), capabilitiesAfter(server, mark));
                assertEquals("1.1.0", ((Map<?, ?>) ping(server, connection, "p-4").get("data")).get("version"));

                // The server announces 1.0.0 again, but what it serves is not what it announced.
                byte[] tampered = "not the announced jar".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                server.agentJars.put("jar-test", tampered);
                mark = server.frames().size();
                connection.send(announce("1.0.0", v1, List.of()));
                FakeServer.Frame rejected = after(server, mark, f -> f.type().equals("event")
                        && "agent.plugin_rejected".equals(f.json().get("event")), "an agent.plugin_rejected event");
                assertEquals(Map.of("id", "jar-test", "expected_sha256", sha(v1), "actual_sha256", sha(tampered),
                        "reason", "The download of plugin 'jar-test' 1.0.0 has the SHA-256 " + sha(tampered) + ", not the "
                                + sha(v1) + " the server announced; it was deleted and is not loaded."), rejected.data());
                awaitState(server, mark, "rejected", sha(v1));
                assertEquals("1.1.0", ((Map<?, ?>) ping(server, connection, "p-5").get("data")).get("version"),
                        "the running version stays");
                assertFalse(Files.exists(data.resolve("plugin-cache/jar-test-" + sha(v1) + ".jar.part")));
                assertFalse(Files.exists(data.resolve("plugin-cache/jar-test-" + sha(v1) + ".jar")));

                server.agentJars.put("jar-test", v2);
                mark = server.frames().size();
                connection.send(announce("1.1.0", v2, List.of()));
                awaitState(server, mark, "started", sha(v2));
            }

            // A local 1.0.0 in the plugins folder: the cached 1.1.0 the server announced last wins at the next start.
            Files.write(emptyPlugins.resolve("jar-test-1.0.0.jar"), v1);
            try (AgentRuntime agent = AgentRuntime.builder(config).build()) {
                int mark = server.frames().size();
                agent.start();
                assertEquals(List.of("jar_ping"), agent.commands());
                FakeServer.Frame register = after(server, mark, f -> f.type().equals("register"), "a register frame");
                assertEquals("1.1.0", ((Map<?, ?>) ping(server, register.connection(), "p-6").get("data")).get("version"));
                mark = server.frames().size();
                register.connection().send(announce(null, null, List.of("jar-test")));
                awaitState(server, mark, "disabled", sha(v2));
            }
            // Switched off last: not loaded at all at the next start.
            try (AgentRuntime agent = AgentRuntime.builder(config).build()) {
                agent.start();
                assertEquals(List.of(), agent.pluginIds());
                assertEquals(List.of(), agent.commands());
            }
        }
    }

    private Path nativeJar(String name, String version) throws Exception {
        Path jar = Files.createDirectories(tempDir.resolve("built")).resolve(name);
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        java.util.jar.Attributes main = manifest.getMainAttributes();
        main.put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Plugin-Id", "jar-test");
        main.putValue("Plugin-Version", version);
        main.putValue("Plugin-Unloadable", "false");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (Class<?> type : List.of(JarTestPlugin.class, JarPing.class)) {
                String entry = type.getName().replace('.', '/') + ".class";
                out.putNextEntry(new java.util.jar.JarEntry(entry));
                try (java.io.InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
            out.putNextEntry(new java.util.jar.JarEntry("META-INF/extensions.idx"));
            out.write((JarTestPlugin.class.getName() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    @Test
    void aPluginThatCannotBeUnloadedKeepsRunningAndTheDownloadStartsAtTheNextStart() throws Exception {
        byte[] v1 = Files.readAllBytes(nativeJar("n1.jar", "1.0.0"));
        byte[] v2 = Files.readAllBytes(nativeJar("n2.jar", "2.0.0"));
        Path plugins = Files.createDirectories(tempDir.resolve("plugins"));
        Files.write(plugins.resolve("jar-test-1.0.0.jar"), v1);
        Path data = tempDir.resolve("data");
        try (FakeServer server = new FakeServer()) {
            server.agentJars.put("jar-test", v2);
            AgentConfig config = AgentConfig.builder(server.url()).dataDir(data).pluginsDir(plugins)
                    .heartbeat(Duration.ofSeconds(5)).build();
            try (AgentRuntime agent = AgentRuntime.builder(config).build()) {
                agent.start();
                FakeServer.Frame register = server.await("register");
                int mark = server.frames().size();
                register.connection().send(announce("2.0.0", v2, List.of()));
                FakeServer.Frame state = awaitState(server, mark, "restart_required", sha(v1));
                assertTrue(String.valueOf(state.json()).contains("Version 2.0.0 is installed and starts at the next restart"),
                        state.json().toString());
                assertEquals("1.0.0", ((Map<?, ?>) ping(server, register.connection(), "n-1").get("data")).get("version"),
                        "the running version stays");
                assertTrue(Files.exists(data.resolve("plugin-cache/jar-test-" + sha(v2) + ".jar")), "the download is kept");

                mark = server.frames().size();
                register.connection().send(announce("2.0.0", v2, List.of()));
                awaitState(server, mark, "restart_required", sha(v1));
                assertEquals(List.of("/jar-test/agent-jar"), server.downloads, "the waiting jar is not fetched again");
            }
            try (AgentRuntime agent = AgentRuntime.builder(config).build()) {
                int mark = server.frames().size();
                agent.start();
                FakeServer.Frame register = after(server, mark, f -> f.type().equals("register"), "a register frame");
                assertEquals("2.0.0", ((Map<?, ?>) ping(server, register.connection(), "n-2").get("data")).get("version"));
            }
        }
    }
}
