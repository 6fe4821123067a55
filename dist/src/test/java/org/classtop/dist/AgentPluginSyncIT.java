package org.classtop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents follow the server's plugins with real processes: an agent started with an empty plugins folder gets
 * the bundled agent sides from the server and runs them, stops {@code settings} when an admin disables it and
 * starts it again on enable, all without a restart; a jar that no longer matches what the server announced
 * is refused by the agent and reported as an event.
 */
class AgentPluginSyncIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @RegisterExtension
    final StartedResources started = new StartedResources();

    /** The processes started, whose output a failure shows. */
    private final List<LaunchedProcess> processes = new ArrayList<>();

    @Test
    void anAgentWithAnEmptyPluginsFolderFollowsTheServerAndRefusesATamperedJar() throws Exception {
        try {
            followAndRefuse();
        } catch (AssertionError e) {
            StringBuilder output = new StringBuilder(String.valueOf(e.getMessage()));
            processes.forEach(process -> output.append(process.describe()));
            throw new AssertionError(output.toString(), e);
        }
    }

    private void followAndRefuse() throws Exception {
        // The server runs a copy of the bundled plugins, so this test may change a jar on disk.
        Path serverPlugins = Files.createDirectories(work.resolve("server-plugins"));
        try (Stream<Path> bundled = Files.list(Distribution.home().resolve("plugins"))) {
            for (Path jar : bundled.filter(p -> p.getFileName().toString().endsWith(".jar")).toList()) {
                Files.copy(jar, serverPlugins.resolve(jar.getFileName()));
            }
        }
        LmsServer server = started.track(LmsServer.start(work, LmsServer.randomToken(), work.resolve("server-data"), 0,
                "--enrollment", "open", "--plugins", serverPlugins.toString()));
        processes.add(server.process());
        ApiClient api = server.api();
        JsonNode settingsEntry = plugin(api, "settings");
        assertEquals("started", settingsEntry.path("state").asText(), settingsEntry.toString());
        String announcedSha = settingsEntry.path("agent_side").path("sha256").asText("");
        Path settingsJar = only(serverPlugins, "settings-");
        assertEquals(sha256(Files.readAllBytes(settingsJar)), announcedSha, "agent_side.sha256 is the jar's: " + settingsEntry);

        Path emptyPlugins = Files.createDirectories(work.resolve("agent-plugins"));
        Path agentData = work.resolve("agent-data");
        AgentProcess agent = started.track(AgentProcess.start(work, server.url(), "Room 101", agentData, null,
                "--plugins", emptyPlugins.toString()));
        processes.add(agent.process());
        agent.awaitConnected(WAIT);
        String uuid = agent.uuid();
        Poll.until("the agent online", WAIT, () -> server.isOnline(uuid));

        // It downloads settings (and the other agent sides) and runs them: no restart of either process.
        Poll.until("GET /api/settings/" + uuid + " through the downloaded plugin", WAIT,
                () -> api.get("/api/settings/" + uuid).status() == 200);
        Poll.until("the agent registers its new commands", WAIT, () -> capabilities(api, uuid).contains("get_setting"));
        assertTrue(Files.isRegularFile(agentData.resolve("plugin-cache/settings-" + announcedSha + ".jar")),
                "the downloaded jar is kept under its hash");
        try (Stream<Path> files = Files.list(emptyPlugins)) {
            assertEquals(0, files.count(), "the agent's own plugins folder stays empty");
        }
        ApiResult put = api.put("/api/settings/" + uuid + "/theme", Map.of("value", "dark"));
        assertEquals(200, put.status(), "PUT a setting through the downloaded plugin: " + put);
        Poll.until("the server sees the agent run settings " + announcedSha, WAIT, () -> {
            JsonNode agents = plugin(api, "settings").path("agents");
            for (JsonNode entry : agents) {
                if (announcedSha.equals(entry.path("sha256").asText()) && "started".equals(entry.path("state").asText())
                        && entry.path("count").asInt() == 1) {
                    return true;
                }
            }
            return false;
        });

        // An admin disables settings: the agent stops it (its command is unknown there), and keeps the jar.
        ApiResult disabled = api.post("/api/plugins/settings/disable", Map.of());
        assertEquals(200, disabled.status(), "POST /api/plugins/settings/disable: " + disabled);
        Poll.until("the agent drops get_setting from its capabilities", WAIT, () -> !capabilities(api, uuid).contains("get_setting"));
        ApiResult unknown = api.post("/api/clients/" + uuid + "/command", Map.of("command", "get_setting",
                "params", Map.of("key", "theme")));
        assertEquals(502, unknown.status(), "get_setting on the agent after disable: " + unknown);
        assertEquals("COMMAND_FAILED", unknown.code(), unknown.toString());
        assertTrue(unknown.error() != null && unknown.error().contains("Unknown command 'get_setting'"), unknown.toString());
        assertTrue(Files.isRegularFile(agentData.resolve("plugin-cache/settings-" + announcedSha + ".jar")),
                "a disabled plugin's jar stays in the cache");

        // Enabled again: back on the agent, with the setting it kept.
        ApiResult enabled = api.post("/api/plugins/settings/enable", Map.of());
        assertEquals(200, enabled.status(), "POST /api/plugins/settings/enable: " + enabled);
        Poll.until("GET /api/settings/" + uuid + "/theme after enable", WAIT,
                () -> api.get("/api/settings/" + uuid + "/theme").status() == 200);
        assertEquals("dark", api.get("/api/settings/" + uuid + "/theme").data().path("value").asText());

        // Someone changes the server's settings jar on disk: what it serves no longer has the announced hash.
        byte[] tampered = Files.readAllBytes(settingsJar);
        tampered = java.util.Arrays.copyOf(tampered, tampered.length + 16);
        Path swap = serverPlugins.resolve("settings.swap");
        Files.write(swap, tampered);
        Files.move(swap, settingsJar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        String tamperedSha = sha256(tampered);

        // A second classroom PC joins: it refuses that jar, says so, and never loads it.
        Path secondData = work.resolve("agent-2-data");
        AgentProcess second = started.track(AgentProcess.start(work, server.url(), "Room 102", secondData, null,
                "--plugins", Files.createDirectories(work.resolve("agent-2-plugins")).toString()));
        processes.add(second.process());
        second.awaitConnected(WAIT);
        String uuid2 = second.uuid();
        JsonNode rejected = Poll.value("an agent.plugin_rejected event of " + uuid2, WAIT,
                () -> rejection(api, uuid2), event -> event != null);
        assertEquals("settings", rejected.path("data").path("id").asText(), rejected.toString());
        assertEquals(announcedSha, rejected.path("data").path("expected_sha256").asText(), rejected.toString());
        assertEquals(tamperedSha, rejected.path("data").path("actual_sha256").asText(), rejected.toString());
        Poll.until("the second agent's log names the refused download", WAIT,
                () -> second.process().stdout().contains("The download of plugin 'settings' ")
                        || second.process().stderr().contains("The download of plugin 'settings' "));
        assertFalse(capabilities(api, uuid2).contains("get_setting"), "the tampered settings is not loaded");
        try (Stream<Path> files = Files.list(secondData.resolve("plugin-cache"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().noneMatch(name -> name.startsWith("settings-")), "nothing of it is kept: " + names);
        }
        // The first agent runs on untouched.
        assertEquals(200, api.get("/api/settings/" + uuid + "/theme").status());
    }

    @Test
    void aPluginUploadedToTheRunningServerReachesARunningAgentWithoutARestart() throws Exception {
        try {
            uploadReachesRunningAgent();
        } catch (AssertionError e) {
            StringBuilder output = new StringBuilder(String.valueOf(e.getMessage()));
            processes.forEach(process -> output.append(process.describe()));
            throw new AssertionError(output.toString(), e);
        }
    }

    private void uploadReachesRunningAgent() throws Exception {
        // The server starts without settings; its jar is uploaded later, as an admin would.
        Path serverPlugins = Files.createDirectories(work.resolve("server-plugins"));
        byte[] settingsJar = null;
        try (Stream<Path> bundled = Files.list(Distribution.home().resolve("plugins"))) {
            for (Path jar : bundled.filter(p -> p.getFileName().toString().endsWith(".jar")).toList()) {
                if (jar.getFileName().toString().startsWith("settings-")) {
                    settingsJar = Files.readAllBytes(jar);
                } else {
                    Files.copy(jar, serverPlugins.resolve(jar.getFileName()));
                }
            }
        }
        assertTrue(settingsJar != null, "the distribution bundles a settings-*.jar");
        LmsServer server = started.track(LmsServer.start(work, LmsServer.randomToken(), work.resolve("server-data"), 0,
                "--enrollment", "open", "--plugins", serverPlugins.toString()));
        processes.add(server.process());
        ApiClient api = server.api();
        ApiResult before = api.get("/api/plugins");
        for (JsonNode entry : before.data().isArray() ? before.data() : before.json()) {
            assertFalse("settings".equals(entry.path("id").asText()), "no settings on the server before the upload: " + before);
        }

        AgentProcess agent = started.track(AgentProcess.start(work, server.url(), "Room 201", work.resolve("agent-data"), null,
                "--plugins", Files.createDirectories(work.resolve("agent-plugins")).toString()));
        processes.add(agent.process());
        agent.awaitConnected(WAIT);
        String uuid = agent.uuid();
        Poll.until("the agent online", WAIT, () -> server.isOnline(uuid));
        assertFalse(capabilities(api, uuid).contains("get_setting"), "no settings on the agent before the upload");
        long serverPid = server.process().pid();
        long agentPid = agent.process().pid();

        ApiResult upload = api.sendBytes("POST", "/api/plugins", "application/java-archive", settingsJar);
        assertEquals(201, upload.status(), "POST /api/plugins with the settings jar: " + upload);
        Poll.until("the running agent registers get_setting", WAIT, () -> capabilities(api, uuid).contains("get_setting"));
        Poll.until("GET /api/settings/" + uuid + " through the uploaded plugin", WAIT,
                () -> api.get("/api/settings/" + uuid).status() == 200);
        ApiResult put = api.put("/api/settings/" + uuid + "/theme", Map.of("value", "light"));
        assertEquals(200, put.status(), "PUT a setting through the uploaded plugin: " + put);
        assertTrue(server.process().isAlive() && agent.process().isAlive(), "neither process stopped");
        assertEquals(serverPid, server.process().pid());
        assertEquals(agentPid, agent.process().pid());

        // Disabled on the server: the same agent process stops it.
        ApiResult disabled = api.post("/api/plugins/settings/disable", Map.of());
        assertEquals(200, disabled.status(), "POST /api/plugins/settings/disable: " + disabled);
        Poll.until("the agent drops get_setting from its capabilities", WAIT, () -> !capabilities(api, uuid).contains("get_setting"));
        ApiResult unknown = api.post("/api/clients/" + uuid + "/command", Map.of("command", "get_setting",
                "params", Map.of("key", "theme")));
        assertEquals(502, unknown.status(), "get_setting on the agent after disable: " + unknown);
        assertTrue(unknown.error() != null && unknown.error().contains("Unknown command 'get_setting'"), unknown.toString());
        assertTrue(agent.process().isAlive(), "the agent kept running");
    }

    private static JsonNode rejection(ApiClient api, String uuid) {
        ApiResult events = api.get("/api/events?client=" + uuid + "&prefix=agent.");
        for (JsonNode event : eventList(events)) {
            if ("agent.plugin_rejected".equals(event.path("event").asText(event.path("type").asText()))) {
                return event;
            }
        }
        return null;
    }

    private static JsonNode eventList(ApiResult result) {
        JsonNode data = result.data();
        return data.isArray() ? data : data.path("events");
    }

    private static JsonNode plugin(ApiClient api, String id) {
        ApiResult list = api.get("/api/plugins");
        assertEquals(200, list.status(), "GET /api/plugins: " + list);
        JsonNode all = list.data().isArray() ? list.data() : list.json();
        for (JsonNode entry : all) {
            if (id.equals(entry.path("id").asText())) {
                return entry;
            }
        }
        throw new AssertionError("no plugin '" + id + "' in GET /api/plugins: " + list);
    }

    private static List<String> capabilities(ApiClient api, String uuid) {
        ApiResult client = api.get("/api/clients/" + uuid);
        assertEquals(200, client.status(), "GET /api/clients/" + uuid + ": " + client);
        List<String> names = new ArrayList<>();
        client.data().path("capabilities").forEach(node -> names.add(node.asText()));
        return names;
    }

    private static Path only(Path folder, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            assertEquals(1, found.size(), "one " + prefix + "* jar in " + folder + ": " + found);
            return found.get(0);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
