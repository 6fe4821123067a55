package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Heartbeats answered from a prepared frame, and frames read without a JSON tree, answer as the full reading does. */
class HeartbeatFastPathTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension();
    private TestServer server;

    @BeforeEach
    void server() {
        server = SERVER.get();
    }

    @Test
    void aHeartbeatGetsTheSpecAckWithItsTimestampEchoed() {
        try (FakeAgent agent = server.agent("beat-1", "Beat", a -> { })) {
            agent.send("{\"type\":\"heartbeat\",\"timestamp\":1733324400.125}");
            JsonNode ack = agent.await("heartbeat_ack", WAIT);
            List<String> fields = new ArrayList<>();
            ack.fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("type", "timestamp", "server_time"), fields);
            assertEquals(1733324400.125, ack.path("timestamp").asDouble());
            assertTrue(Math.abs(ack.path("server_time").asDouble() - System.currentTimeMillis() / 1000.0) < 60, ack.toString());

            agent.send("{\"type\":\"heartbeat\",\"timestamp\":42}");
            JsonNode whole = agent.await("heartbeat_ack", WAIT);
            assertTrue(whole.path("timestamp").isIntegralNumber(), whole.toString());
            assertEquals(42, whole.path("timestamp").asInt());

            // Fields in another order, or no timestamp: the full reading answers, the same way.
            agent.send("{\"timestamp\":7,\"type\":\"heartbeat\"}");
            assertEquals(7, agent.await("heartbeat_ack", WAIT).path("timestamp").asInt());
            agent.send("{\"type\":\"heartbeat\"}");
            assertTrue(agent.await("heartbeat_ack", WAIT).path("timestamp").isNumber());
        }
    }

    @Test
    void aMalformedHeartbeatGetsTheSameErrorAsAnyMalformedFrame() {
        try (FakeAgent agent = server.agent("beat-2", "Beat", a -> { })) {
            agent.send("{\"type\":\"heartbeat\",\"timestamp\":1,\"timestamp\":2}");
            assertEquals("The frame is not valid JSON.", agent.await("error", WAIT).path("error").asText());
            agent.send("{\"type\":\"heartbeat\",\"timestamp\":1} {}");
            assertEquals("The frame is not valid JSON.", agent.await("error", WAIT).path("error").asText());
            agent.heartbeat();
            agent.await("heartbeat_ack", WAIT);
        }
    }

    @Test
    void responsesAndStateUpdatesReadStraightIntoMapsWorkAsBefore() {
        try (FakeAgent agent = server.agent("beat-3", "Beat", a -> a.on("echo", params -> Map.of("echo", params)))) {
            ApiResult answer = server.api().post("/api/clients/beat-3/command",
                    Map.of("command", "echo", "params", Map.of("n", 7, "list", List.of(1, 2.5, "x"))));
            assertEquals(200, answer.status(), answer.toString());
            assertEquals(2.5, answer.data().path("echo").path("list").path(1).asDouble());

            agent.send("{\"type\":\"state_update\",\"data\":[1]}");
            assertEquals("A state_update needs \"data\" as a JSON object.", agent.await("error", WAIT).path("error").asText());
            agent.send("{\"data\":{\"theme\":\"light\"},\"type\":\"state_update\"}");
            Poll.until("state stored", WAIT, () -> "light".equals(server.api().get("/api/clients/beat-3").data()
                    .path("state").path("theme").asText()));
        }
    }

    @Test
    void everyConnectionIsLoggedOneByOneOrCountedInTheSummaryOfItsSecond() {
        int agents = 40;
        try (TestServer own = TestServer.builder().start();
             CapturedLog log = new CapturedLog("org.classtop.core.hub.AgentSessions")) {
            List<FakeAgent> connected = new ArrayList<>();
            try {
                for (int i = 0; i < agents; i++) {
                    connected.add(own.agent("burst-" + i, "Burst " + i, a -> { }));
                }
                Pattern summary = Pattern.compile("^(\\d+) more agents connected");
                Poll.until("every connection logged or counted", WAIT, () -> {
                    int counted = 0;
                    for (String line : log.lines()) {
                        Matcher m = summary.matcher(line);
                        if (m.find()) {
                            counted += Integer.parseInt(m.group(1));
                        } else if (line.contains("'Burst ") && line.contains(" connected (approved)")) {
                            counted++;
                        }
                    }
                    return counted == agents;
                });
            } finally {
                connected.forEach(FakeAgent::close);
            }
        }
    }
}
