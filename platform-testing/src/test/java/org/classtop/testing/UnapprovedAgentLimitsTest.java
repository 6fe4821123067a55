package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.classtop.core.config.ServerConfig.AgentLimits;
import org.classtop.core.config.ServerConfig.EnrollmentMode;
import org.junit.jupiter.api.Test;

/**
 * What an unapproved agent (or a crowd of them), and an approved one that floods, can cost the server:
 * a pending agent may only wait, pending clients are capped and rate-limited per address, and events
 * are bounded in size and rate for everyone.
 */
class UnapprovedAgentLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static AgentLimits limits(int maxPending, int pendingPerMinute, int maxEventBytes, int eventsPerMinute) {
        AgentLimits d = AgentLimits.DEFAULTS;
        return new AgentLimits(maxPending, pendingPerMinute, maxEventBytes, eventsPerMinute, d.maxUnsentBytes(), d.maxCommandBytes());
    }

    private static boolean eventLogMentions(TestServer server, String uuid) {
        return server.api().get("/api/events?limit=1000").data().toString().contains(uuid);
    }

    @Test
    void aPendingAgentWritesNothingAndIsNotStored() {
        try (TestServer server = TestServer.builder().enrollment(EnrollmentMode.APPROVE).start()) {
            FakeAgent pending = new FakeAgent("wait-1");
            pending.register(server.wsUrl("wait-1"), "Room 9", Map.of());
            assertEquals("pending", pending.await("registered", WAIT).path("status").asText());
            pending.stateUpdate(Map.of("settings", Map.of("theme", "dark")));
            for (int i = 0; i < 20; i++) {
                pending.sendJson(Map.of("type", "event", "event", "spam.noise", "data", Map.of("i", i, "pad", "x".repeat(1000))));
            }
            JsonNode notice = pending.await("error", WAIT);
            assertTrue(notice.path("error").asText().contains("approval"), notice.toString());
            pending.heartbeat();
            pending.await("heartbeat_ack", WAIT);

            assertFalse(eventLogMentions(server, "spam.noise"), "no event of a pending agent is kept");
            JsonNode client = server.api().get("/api/clients/wait-1").data();
            assertEquals("{}", client.path("state").toString(), "its state is not taken: " + client);

            // A frame over 64 KiB before approval closes the connection (1009).
            pending.sendJson(Map.of("type", "heartbeat", "pad", "x".repeat(70_000)));
            assertEquals(1009, pending.awaitClosed(WAIT).code());

            // Nothing of it reached the database: after a restart the server does not know it.
            server.restart();
            assertEquals(404, server.api().get("/api/clients/wait-1").status());
        }
    }

    @Test
    void aCrowdOfRandomUuidsLeavesNoRowBehind(@org.junit.jupiter.api.io.TempDir java.nio.file.Path data) throws Exception {
        for (EnrollmentMode mode : List.of(EnrollmentMode.TOKEN, EnrollmentMode.APPROVE)) {
            java.nio.file.Path dir = data.resolve(mode.name());
            try (TestServer server = TestServer.builder().enrollment(mode).dataDir(dir).start()) {
                for (int i = 0; i < 40; i++) {
                    FakeAgent stranger = new FakeAgent("random-" + i);
                    stranger.register(server.wsUrl("random-" + i), "Stranger", Map.of());
                    if (mode == EnrollmentMode.TOKEN) {
                        assertEquals(1008, stranger.awaitClosed(WAIT).code());
                    } else {
                        stranger.await("registered", WAIT);
                        stranger.sendJson(Map.of("type", "event", "event", "x.y", "data", Map.of()));
                        stranger.close();
                    }
                }
            }
            try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("classtop.db"));
                 var statement = db.createStatement()) {
                for (String table : List.of("clients", "connection_logs", "event_logs")) {
                    try (var rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
                        rows.next();
                        assertEquals(0, rows.getInt(1), mode + ": no row in " + table + " for agents never approved");
                    }
                }
            }
        }
    }

    @Test
    void pendingClientsAreCappedOldestFirst() {
        try (TestServer server = TestServer.builder().enrollment(EnrollmentMode.APPROVE).limits(limits(3, 1000, 65536, 600)).start()) {
            List<FakeAgent> agents = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                FakeAgent agent = new FakeAgent("crowd-" + i);
                agent.register(server.wsUrl("crowd-" + i), "PC " + i, Map.of());
                agent.await("registered", WAIT);
                agents.add(agent);
            }
            JsonNode pending = server.api().get("/api/clients/pending").data();
            assertEquals(3, pending.size(), pending.toString());
            assertFalse(AgentProtocolTest.contains(pending, "crowd-1"));
            assertFalse(AgentProtocolTest.contains(pending, "crowd-2"));
            assertTrue(AgentProtocolTest.contains(pending, "crowd-5"));
            FakeAgent.Closed dropped = agents.get(0).awaitClosed(WAIT);
            assertEquals(1013, dropped.code());
            assertTrue(dropped.reason().contains("waited longest"), dropped.reason());
            assertFalse(agents.get(4).isClosed());
            agents.forEach(FakeAgent::close);
        }
    }

    @Test
    void unapprovedConnectionsAreRateLimitedPerAddressAndCannotDisplaceEachOther() {
        try (TestServer server = TestServer.builder().enrollment(EnrollmentMode.APPROVE).limits(limits(1000, 5, 65536, 600)).start()) {
            List<FakeAgent> agents = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                FakeAgent agent = new FakeAgent("rand-" + i);
                agent.register(server.wsUrl("rand-" + i), "PC", Map.of());
                agent.await("registered", WAIT);
                agents.add(agent);
            }
            FakeAgent sixth = new FakeAgent("rand-6");
            sixth.register(server.wsUrl("rand-6"), "PC", Map.of());
            FakeAgent.Closed limited = sixth.awaitClosed(WAIT);
            assertEquals(1013, limited.code());
            assertTrue(limited.reason().contains("Too many unapproved connections"), limited.reason());
            assertEquals(5, server.api().get("/api/clients/pending").data().size());

            // Another address has its own allowance, but cannot take over a pending uuid connected elsewhere.
            try (RawWebSocket other = RawWebSocket.connect(server.wsUrl("rand-7"), "127.0.0.2")) {
                other.sendJson(Map.of("type", "register", "client_uuid", "rand-7", "protocol", 1));
                assertEquals("pending", other.await("registered", WAIT).path("status").asText());
            }
            try (RawWebSocket thief = RawWebSocket.connect(server.wsUrl("rand-1"), "127.0.0.2")) {
                thief.sendJson(Map.of("type", "register", "client_uuid", "rand-1", "protocol", 1, "name", "Evil"));
                assertTrue(thief.awaitClose(WAIT).text().contains("already connected"));
            }
            assertFalse(agents.get(0).isClosed(), "the first connection stays");
            agents.get(0).heartbeat();
            agents.get(0).await("heartbeat_ack", WAIT);
            agents.forEach(FakeAgent::close);
        }
    }

    @Test
    void eventsAreBoundedInSizeAndRateForApprovedAgentsToo() {
        try (TestServer server = TestServer.builder().limits(limits(1000, 60, 4096, 10)).start();
             FakeAgent agent = server.agent("noisy-1", "Noisy PC", a -> { })) {
            agent.sendJson(Map.of("type", "event", "event", "noisy.big", "data", Map.of("pad", "x".repeat(8000))));
            assertTrue(agent.await("error", WAIT).path("error").asText().contains("4096 bytes"));
            for (int i = 0; i < 40; i++) {
                agent.sendJson(Map.of("type", "event", "event", "noisy.small", "data", Map.of("i", i)));
            }
            agent.heartbeat();
            agent.await("heartbeat_ack", WAIT);
            Poll.until("the first events are logged", WAIT, () -> eventLogMentions(server, "noisy.small"));
            JsonNode events = server.api().get("/api/events?limit=1000").data();
            long small = 0;
            for (JsonNode e : events.isArray() ? events : events.path("items")) {
                if ("noisy.small".equals(e.path("event").asText()) || "noisy.small".equals(e.path("name").asText())) {
                    small++;
                }
            }
            assertTrue(small >= 10 && small <= 12, "a burst of 10 a minute is kept, the rest dropped: kept " + small);
            assertFalse(eventLogMentions(server, "noisy.big"));
            assertFalse(agent.isClosed(), "an agent over its event rate is told, not dropped");
        }
    }
}
