package org.classtop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.FakeAgent;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server and real agents from the distribution: token enrolment, the bundled settings plugin on
 * one agent and across two, an unknown command, and a server restart that the agents survive by themselves.
 */
class ServerAndAgentIT {
    private static final Duration CONNECT = Duration.ofSeconds(60);
    /**
     * After a planned restart (SIGTERM: close code 1012) the agents retry at most 5 s apart (jittered), so they
     * are back within seconds of the server listening again (before, a doubled backoff made it up to ~50 s).
     * 15 s leaves room for a loaded CI machine.
     */
    private static final Duration RECONNECT = Duration.ofSeconds(15);

    @TempDir
    Path work;

    @RegisterExtension
    final StartedResources started = new StartedResources();

    private <T extends AutoCloseable> T track(T resource) {
        return started.track(resource);
    }

    @Test
    void tokenEnrolledAgentsAreManagedAndComeBackByThemselvesAfterAServerRestart() {
        String adminToken = LmsServer.randomToken();
        Path serverData = work.resolve("server-data");
        LmsServer server = track(LmsServer.start(work, adminToken, serverData, 0, "--enrollment", "token"));
        ApiClient api = server.api();

        // Token enrolment: a connection without a token is refused with a readable reason.
        String intruderUuid = UUID.randomUUID().toString();
        FakeAgent intruder = track(new FakeAgent(intruderUuid));
        try {
            intruder.register(server.wsUrl(intruderUuid), "No token", Map.of());
        } catch (RuntimeException closedWhileSending) {
            // the server may close before the register frame is out: still a refusal
        }
        FakeAgent.Closed refused = intruder.awaitClosed(Duration.ofSeconds(20));
        assertNotNull(refused.reason(), "close reason for an agent without a token");
        assertFalse(refused.reason().isBlank(), "readable close reason for an agent without a token: " + refused);
        assertFalse(server.isOnline(intruderUuid), "an agent without a token is not online");

        // An admin creates an enrolment token for the roll-out.
        ApiResult created = api.post("/api/enrollment/tokens", Map.of("name", "Rooms 101-102 roll-out"));
        assertEquals(201, created.status(), "POST /api/enrollment/tokens: " + created);
        assertTrue(created.success(), created.toString());
        String enrolmentToken = created.data().path("token").asText("");
        assertFalse(enrolmentToken.isBlank(), "the token is shown in the creation answer: " + created);

        // Two classroom PCs start their agent with it.
        AgentProcess agent1 = track(AgentProcess.start(work, server.url(), "Room 101", work.resolve("agent-1"), enrolmentToken));
        AgentProcess agent2 = track(AgentProcess.start(work, server.url(), "Room 102", work.resolve("agent-2"), enrolmentToken));
        agent1.awaitConnected(CONNECT);
        agent2.awaitConnected(CONNECT);
        String u1 = agent1.uuid();
        String u2 = agent2.uuid();
        assertNotEquals(u1, u2, "each agent generates its own uuid");
        Poll.until("both agents in /api/clients/online", Duration.ofSeconds(30),
                () -> server.isOnline(u1) && server.isOnline(u2));

        ApiResult client = api.get("/api/clients/" + u1);
        assertEquals(200, client.status(), "GET /api/clients/" + u1 + ": " + client);
        assertEquals("Room 101", client.data().path("name").asText(), client.toString());
        assertTrue(client.data().path("online").asBoolean(), client.toString());
        assertEquals("approved", client.data().path("enrollment").asText(), client.toString());
        assertTrue(texts(client.data().path("capabilities")).contains("get_setting"),
                "the agent announces the settings plugin's commands: " + client);

        // Settings on one agent: read all, set one, read it back, a batch.
        ApiResult all = api.get("/api/settings/" + u1);
        assertEquals(200, all.status(), "GET /api/settings/" + u1 + ": " + all);
        assertTrue(all.data().path("settings").isObject(), all.toString());

        ApiResult put = api.put("/api/settings/" + u1 + "/theme", Map.of("value", "dark"));
        assertEquals(200, put.status(), "PUT /api/settings/" + u1 + "/theme: " + put);
        assertEquals("theme", put.data().path("key").asText(), put.toString());
        assertEquals("dark", put.data().path("value").asText(), put.toString());

        ApiResult one = api.get("/api/settings/" + u1 + "/theme");
        assertEquals(200, one.status(), "GET /api/settings/" + u1 + "/theme: " + one);
        assertEquals("dark", one.data().path("value").asText(), one.toString());

        ApiResult batch = api.post("/api/settings/" + u1 + "/batch", Map.of("settings", Map.of("volume", "80", "language", "en")));
        assertEquals(200, batch.status(), "POST /api/settings/" + u1 + "/batch: " + batch);
        assertTrue(texts(batch.data().path("updated")).containsAll(List.of("volume", "language")), batch.toString());

        Map<String, String> expected = new LinkedHashMap<>(Map.of("theme", "dark", "volume", "80", "language", "en"));
        assertSettings(api, u1, expected);

        ApiResult missing = api.get("/api/settings/" + u1 + "/no_such_key");
        assertEquals(502, missing.status(), "GET a setting the agent does not have: " + missing);
        assertEquals("COMMAND_FAILED", missing.code(), missing.toString());
        assertTrue(missing.error() != null && missing.error().contains("no_such_key"), "the sentence names the key: " + missing);

        // One change for the whole room set.
        ApiResult fleet = api.post("/api/settings/batch", Map.of("clients", List.of(u1, u2), "settings", Map.of("bell", "on")));
        assertEquals(200, fleet.status(), "POST /api/settings/batch: " + fleet);
        for (String u : List.of(u1, u2)) {
            JsonNode result = fleet.data().path("results").path(u);
            assertTrue(result.path("success").asBoolean(false), "batch result of " + u + ": " + fleet);
            ApiResult bell = api.get("/api/settings/" + u + "/bell");
            assertEquals(200, bell.status(), "GET /api/settings/" + u + "/bell: " + bell);
            assertEquals("on", bell.data().path("value").asText(), bell.toString());
        }
        expected.put("bell", "on");

        // A command no plugin of the agent provides: an agent-side failure naming it.
        ApiResult unknown = api.post("/api/clients/" + u1 + "/command",
                Map.of("command", "frobnicate_display", "params", Map.of()));
        assertEquals(502, unknown.status(), "an unknown command: " + unknown);
        assertFalse(unknown.success(), unknown.toString());
        assertEquals("COMMAND_FAILED", unknown.code(), unknown.toString());
        assertTrue(unknown.error() != null && unknown.error().contains("frobnicate_display"),
                "the sentence names the command: " + unknown);

        Map<String, JsonNode> historyBefore = byRequestId(server.commandLog(u1));
        assertTrue(historyBefore.values().stream().anyMatch(r -> r.path("command").asText().equals("set_setting")
                && r.path("status").asText().equals("ok")), "set_setting logged ok: " + historyBefore.values());
        assertTrue(historyBefore.values().stream().anyMatch(r -> r.path("command").asText().equals("frobnicate_display")
                && r.path("status").asText().equals("failed")), "the unknown command logged failed: " + historyBefore.values());

        // Restart the server (SIGTERM, then again on the same data folder and the same port).
        int port = server.port();
        long pid1 = agent1.process().pid();
        long pid2 = agent2.process().pid();
        int exit = server.stop();
        assertTrue(exit == 0 || exit == 143, "the server stops cleanly on SIGTERM, exit " + exit + server.process().describe());

        LmsServer again = track(LmsServer.start(work, adminToken, serverData, port, "--enrollment", "token"));
        long restarted = System.nanoTime();
        Poll.until("both agents online again after the server restart", RECONNECT,
                () -> again.isOnline(u1) && again.isOnline(u2));
        System.out.printf("ServerAndAgentIT: agents back online %.1f s after the restarted server was ready%n",
                (System.nanoTime() - restarted) / 1e9);
        assertTrue(agent1.process().isAlive() && agent1.process().pid() == pid1, "agent 1 reconnected by itself");
        assertTrue(agent2.process().isAlive() && agent2.process().pid() == pid2, "agent 2 reconnected by itself");

        ApiResult after = again.api().get("/api/clients/" + u1);
        assertEquals(200, after.status(), "GET /api/clients/" + u1 + " after the restart: " + after);
        assertEquals("approved", after.data().path("enrollment").asText(), "the agent's credential survives: " + after);
        assertSettings(again.api(), u1, expected);
        ApiResult bell2 = again.api().get("/api/settings/" + u2 + "/bell");
        assertEquals(200, bell2.status(), bell2.toString());
        assertEquals("on", bell2.data().path("value").asText(), bell2.toString());

        Map<String, JsonNode> historyAfter = byRequestId(again.commandLog(u1));
        for (Map.Entry<String, JsonNode> before : historyBefore.entrySet()) {
            JsonNode row = historyAfter.get(before.getKey());
            assertNotNull(row, "command " + before.getValue() + " still in /api/commands after the restart");
            for (String field : List.of("command", "params", "status")) {
                assertEquals(before.getValue().path(field), row.path(field), field + " of " + before.getKey());
            }
        }
    }

    @Test
    void aPortThatIsNotANumberIsRefusedAtOnceWithOneLineNamingTheFlag() {
        long t0 = System.nanoTime();
        LaunchedProcess lms = track(LaunchedProcess.start("classtop-lms",
                List.of("--port", "notanumber", "--bind", "127.0.0.1", "--data", work.resolve("data").toString()),
                Map.of(), work));
        int exit = lms.awaitExit(Duration.ofSeconds(30));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertNotEquals(0, exit, "exit code for --port notanumber" + lms.describe());
        List<String> lines = lms.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line on stderr" + lms.describe());
        assertTrue(lines.get(0).contains("--port"), "the line names the flag: " + lines.get(0));
        assertFalse(lms.stdout().contains("listening"), "it never listens" + lms.describe());
        System.out.printf("ServerAndAgentIT: --port notanumber refused in %.1f s with exit %d: %s%n", seconds, exit, lines.get(0));
    }

    private static void assertSettings(ApiClient api, String uuid, Map<String, String> expected) {
        ApiResult all = api.get("/api/settings/" + uuid);
        assertEquals(200, all.status(), "GET /api/settings/" + uuid + ": " + all);
        JsonNode settings = all.data().path("settings");
        expected.forEach((k, v) -> assertEquals(v, settings.path(k).asText(null), "setting " + k + " in " + all));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Map<String, JsonNode> byRequestId(List<JsonNode> rows) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        rows.forEach(r -> out.put(r.path("request_id").asText(), r));
        return out;
    }
}
