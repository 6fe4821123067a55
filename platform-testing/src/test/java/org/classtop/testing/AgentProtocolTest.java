package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SPEC section 4 frame by frame, with agents managed through REST (open enrolment). */
class AgentProtocolTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension();
    private TestServer server;

    @BeforeEach
    void server() {
        server = SERVER.get();
    }

    @Test
    void registeredAgentIsListedAnswersCommandsAndReportsState() {
        try (FakeAgent agent = server.agent("proto-1", "Room 101", a -> a.on("echo", params -> Map.of("echo", params)))) {
            JsonNode online = server.api().get("/api/clients/online").data();
            assertTrue(contains(online, "proto-1"), online.toString());
            JsonNode client = server.api().get("/api/clients/proto-1").data();
            assertEquals("Room 101", client.path("name").asText());
            assertEquals("online", client.path("status").asText());
            assertEquals("approved", client.path("enrollment").asText());
            assertEquals("echo", client.path("capabilities").path(0).asText());

            ApiResult answer = server.api().post("/api/clients/proto-1/command", Map.of("command", "echo", "params", Map.of("n", 7)));
            assertEquals(200, answer.status(), answer.toString());
            assertEquals(7, answer.data().path("echo").path("n").asInt());

            agent.heartbeat();
            JsonNode ack = agent.await("heartbeat_ack", WAIT);
            assertTrue(ack.path("timestamp").isNumber());

            agent.stateUpdate(Map.of("settings", Map.of("theme", "dark")));
            Poll.until("state stored", WAIT, () -> "dark".equals(server.api().get("/api/clients/proto-1").data()
                    .path("state").path("settings").path("theme").asText()));

            JsonNode history = server.api().get("/api/commands?client=proto-1").data();
            assertEquals("echo", history.path(0).path("command").asText());
            assertEquals("ok", history.path(0).path("status").asText());
        }
        Poll.until("client offline after close", WAIT,
                () -> "offline".equals(server.api().get("/api/clients/proto-1").data().path("status").asText()));
    }

    @Test
    void legacyClientWithOnlyANameIsAcceptedAndManaged() {
        FakeAgent legacy = new FakeAgent("legacy-1").on("get_all_settings", p -> Map.of("settings", Map.of("a", "1")));
        legacy.connect(server.wsUrl("legacy-1"));
        legacy.sendJson(Map.of("name", "Old ClassTop"));
        Poll.until("legacy client online", WAIT, () -> contains(server.api().get("/api/clients/online").data(), "legacy-1"));
        assertEquals("Old ClassTop", server.api().get("/api/clients/legacy-1").data().path("name").asText());
        ApiResult answer = server.api().post("/api/clients/legacy-1/command", Map.of("command", "get_all_settings"));
        assertEquals("1", answer.data().path("settings").path("a").asText(), answer.toString());
        legacy.close();
    }

    @Test
    void legacyClientThatStartsWithAHeartbeatIsAcceptedAndAcked() {
        FakeAgent legacy = new FakeAgent("legacy-hb");
        legacy.connect(server.wsUrl("legacy-hb"));
        legacy.heartbeat();
        legacy.await("heartbeat_ack", WAIT);
        assertTrue(contains(server.api().get("/api/clients/online").data(), "legacy-hb"));
        legacy.close();
    }

    @Test
    void aSecondConnectionOfTheSameClientWithItsCredentialReplacesTheFirst() {
        FakeAgent first = server.agent("dup-1", "PC", a -> a.on("who", p -> Map.of("who", "first")));
        FakeAgent second = server.agent("dup-1", "PC", a -> a.on("who", p -> Map.of("who", "second")));
        FakeAgent.Closed closed = first.awaitClosed(WAIT);
        assertEquals(1000, closed.code());
        assertEquals("second", server.api().post("/api/clients/dup-1/command", Map.of("command", "who")).data().path("who").asText());
        second.close();
    }

    @Test
    void eventsFromAgentsAreLogged() {
        try (FakeAgent agent = server.agent("events-1", "PC", a -> { })) {
            agent.sendJson(Map.of("type", "event", "event", "cctv.recording_started", "data", Map.of("camera_id", "cam1")));
            JsonNode events = Poll.value("event logged", WAIT, () -> server.api().get("/api/events?client=events-1").data(),
                    e -> e.size() > 0);
            assertEquals("cctv.recording_started", events.path(0).path("event").asText());
        }
    }

    @Test
    void silentAgentGoesOfflineAfterThreeHeartbeatIntervals() {
        try (TestServer fast = TestServer.builder().heartbeat(Duration.ofMillis(1000)).start();
             FakeAgent agent = fast.agent("quiet-1", "Quiet PC", a -> { })) {
            assertTrue(contains(fast.api().get("/api/clients/online").data(), "quiet-1"));
            FakeAgent.Closed closed = agent.awaitClosed(Duration.ofSeconds(10));
            assertTrue(closed.reason() == null || closed.reason().contains("heartbeat"), String.valueOf(closed.reason()));
            assertFalse(contains(fast.api().get("/api/clients/online").data(), "quiet-1"));
        }
    }

    static boolean contains(JsonNode clients, String uuid) {
        for (JsonNode c : clients) {
            if (uuid.equals(c.path("uuid").asText())) {
                return true;
            }
        }
        return false;
    }
}
