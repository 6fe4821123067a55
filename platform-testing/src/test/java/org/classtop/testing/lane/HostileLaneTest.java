package org.classtop.testing.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.classtop.core.config.ServerConfig.EnrollmentMode;
import org.classtop.core.hub.AgentStreamRouter;
import org.classtop.testing.FakeAgent;
import org.classtop.testing.Poll;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Agents that misuse the binary lane are refused or dropped, and the server goes on serving the others. */
class HostileLaneTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    LanePlugins.Received received = new LanePlugins.Received();
    TestServer server;

    private TestServer start(EnrollmentMode mode) {
        server = TestServer.builder().enrollment(mode)
                .plugin("lanetest", new LanePlugins.Server(received), new LanePlugins.Agent(new LanePlugins.AgentSide()))
                .start();
        return server;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Map<String, Long> stats() {
        return server.server().injector().getInstance(AgentStreamRouter.class).stats();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A well-behaved agent still gets through after the hostile one. */
    private void assertStillServing() {
        try (FakeAgent good = server.agent("good-pc", "Good", a -> a.on("ping", p -> Map.of("pong", true)))) {
            good.sendLive("lanetest.preview", utf8("hello"));
            Poll.until("the good agent's frame arrived", WAIT, () -> received.live().contains("lanetest.preview:hello"));
            assertEquals(200, server.api().post("/api/clients/good-pc/command", Map.of("command", "ping")).status());
        }
    }

    @Test
    void garbageHeadersCloseTheConnectionWithPolicyViolation() {
        start(EnrollmentMode.OPEN);
        List<byte[]> garbage = List.of(new byte[]{9, 9}, new byte[]{2, 1, 1, 'x'}, new byte[]{1, 7, 1, 'x'},
                new byte[]{1, 1, 40, 'a', 'b'}, new byte[]{1, 1, 3, 'a', '/', 'b', 1}, new byte[]{1, 2, 3, 'a', '.', 'b', 1});
        for (byte[] frame : garbage) {
            try (FakeAgent hostile = server.agent("hostile-pc", "Hostile", a -> { })) {
                hostile.sendBinary(frame);
                FakeAgent.Closed closed = hostile.awaitClosed(WAIT);
                assertEquals(1008, closed.code(), closed.reason());
                assertFalse(closed.reason().isBlank());
            }
        }
        assertEquals(garbage.size(), stats().get("malformed_frames"));
        assertTrue(received.live().isEmpty());
        assertStillServing();
    }

    @Test
    void aBinaryFrameOverOneMebibyteClosesWith1009() {
        start(EnrollmentMode.OPEN);
        try (FakeAgent hostile = server.agent("big-pc", "Big", a -> { })) {
            hostile.sendLive("lanetest.preview", new byte[(1 << 20) + 1]);
            assertEquals(1009, hostile.awaitClosed(WAIT).code());
        }
        assertStillServing();
    }

    @Test
    void aPendingAgentCannotUseTheLane() {
        start(EnrollmentMode.APPROVE);
        try (FakeAgent pending = server.agent("pending-pc", "Pending", a -> { })) {
            assertEquals("pending", pending.history().get(0).path("status").asText());
            pending.sendLive("lanetest.preview", utf8("sneaky"));
            pending.sendChunk("lanetest.file", 1, new byte[1000]);
            pending.heartbeat();
            pending.await("heartbeat_ack", WAIT); // frames are read in order: the binary ones were handled first
        }
        assertTrue(received.live().isEmpty());
        assertTrue(received.bytes.isEmpty());
        assertEquals(0, stats().get("live_frames"));
        assertEquals(0, stats().get("unrouted_dropped"));
    }

    @Test
    void streamsNoPluginReceivesAreDroppedAndCountedAndTransfersToThemRefused() {
        start(EnrollmentMode.OPEN);
        try (FakeAgent agent = server.agent("stray-pc", "Stray", a -> { })) {
            agent.sendLive("nobody.preview", utf8("lost"));
            JsonNode notice = agent.await("error", WAIT);
            assertTrue(notice.path("error").asText().contains("nobody.preview"), notice.toString());
            agent.sendChunk("nobody.file", 5, new byte[100]);
            JsonNode refused = agent.await("stream_abort", WAIT);
            assertEquals(5, refused.path("transfer_id").asLong());
            assertTrue(refused.path("reason").asText().contains("nobody.file"), refused.toString());
            agent.sendChunk("nobody.file", 5, new byte[100]); // ignored: already refused
            agent.heartbeat();
            agent.await("heartbeat_ack", WAIT);
            assertFalse(agent.isClosed());
        }
        assertEquals(2, stats().get("unrouted_dropped"));
        assertStillServing();
    }

    @Test
    void anAgentCannotWriteIntoAnotherAgentsStream() {
        start(EnrollmentMode.OPEN);
        try (FakeAgent mallory = server.agent("mallory-pc", "Mallory", a -> { })) {
            // The stream names no client: what mallory sends is always mallory's.
            mallory.sendChunk("lanetest.recording", 1, utf8("forged"));
            mallory.sendTransferEnd("lanetest.recording", 1);
            Poll.until("the transfer ended", WAIT, () -> !received.ended.isEmpty());
            assertTrue(received.ended.values().iterator().next().startsWith("mallory-pc lanetest.recording "));
        }
    }

    @Test
    void aTransferBeyondItsCreditClosesTheConnection() {
        start(EnrollmentMode.OPEN);
        received.waiting = new java.util.concurrent.CountDownLatch(1);
        received.release = new java.util.concurrent.CountDownLatch(1);
        received.pauseAfterBytes = 1;
        try (FakeAgent greedy = server.agent("greedy-pc", "Greedy", a -> { })) {
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 17 && !greedy.isClosed(); i++) {
                greedy.sendChunk("lanetest.file", 3, chunk); // 17 × 64 KiB > the 1 MiB window, no credit asked
            }
            FakeAgent.Closed closed = greedy.awaitClosed(WAIT);
            assertEquals(1008, closed.code());
            assertTrue(closed.reason().contains("credit"), closed.reason());
        } finally {
            received.release.countDown();
        }
        Poll.until("the receiver saw the abort", WAIT, () -> !received.aborted.isEmpty());
        assertStillServing();
    }
}
