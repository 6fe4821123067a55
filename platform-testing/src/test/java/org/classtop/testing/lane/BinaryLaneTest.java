package org.classtop.testing.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.classtop.agent.AgentConfig;
import org.classtop.agent.AgentRuntime;
import org.classtop.api.agent.LiveStream;
import org.classtop.api.agent.Transfer;
import org.classtop.api.agent.TransferException;
import org.classtop.core.hub.AgentStreamRouter;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binary lane end to end: the real agent runtime's BinaryStreams into a server plugin's receiver. */
class BinaryLaneTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path agentDir;

    LanePlugins.Received received = new LanePlugins.Received();
    LanePlugins.AgentSide side = new LanePlugins.AgentSide();
    TestServer server;
    AgentRuntime agent;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.builder().plugin("lanetest", new LanePlugins.Server(received), new LanePlugins.Agent(side))
                .start();
        agent = AgentRuntime.builder(AgentConfig.builder(URI.create(server.baseUrl()))
                        .dataDir(Files.createDirectories(agentDir.resolve("pc"))).clientUuid("lane-pc").name("Lane PC").build())
                .plugin("lanetest", new LanePlugins.Agent(side))
                .build();
        agent.start();
        agent.firstRegistration().get(15, TimeUnit.SECONDS);
        Poll.until("the lane is attached", WAIT, () -> {
            try {
                side.streams.openTransfer("probe").close();
                return true;
            } catch (TransferException e) {
                return false;
            }
        });
    }

    @AfterEach
    void stop() {
        received.release.countDown();
        if (agent != null) {
            agent.close();
        }
        server.close();
    }

    private Map<String, Long> stats() {
        return server.server().injector().getInstance(AgentStreamRouter.class).stats();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void liveFramesReachTheReceiverAndTheNewestWinsWhileItIsSlow() throws Exception {
        received.waiting = new CountDownLatch(1);
        received.release = new CountDownLatch(1);
        received.pauseOnFirstLive = true;
        LiveStream preview = side.streams.openLive("preview.cam1");
        assertEquals("lanetest.preview.cam1", preview.name());

        assertTrue(preview.offer(utf8("frame-0")));
        assertTrue(received.waiting.await(20, TimeUnit.SECONDS), "the receiver got the first frame");
        long droppedBefore = stats().get("live_dropped");
        for (int i = 1; i <= 20; i++) {
            long sent = preview.sent();
            assertTrue(preview.offer(utf8("frame-" + i)));
            // One at a time: each frame leaves the agent before the next, so only the server can drop them.
            Poll.until("frame " + " left the agent", WAIT, () -> preview.sent() > sent);
        }
        Poll.until("19 frames replaced on the server", WAIT, () -> stats().get("live_dropped") - droppedBefore == 19);
        received.release.countDown();

        Poll.until("the newest frame arrived", WAIT, () -> received.live().size() == 2);
        assertEquals(List.of("lanetest.preview.cam1:frame-0", "lanetest.preview.cam1:frame-20"), received.live());
        assertEquals(List.of("lane-pc", "lane-pc"), received.liveClients());
        assertEquals(0, preview.dropped(), "nothing was dropped on the agent");
        assertEquals(21, preview.sent());
    }

    @Test
    void aTwentyMebibyteTransferArrivesIntactWithBoundedMemoryAndCommandsAreAnsweredMeanwhile() throws Exception {
        byte[] file = new byte[20 << 20];
        new Random(8).nextBytes(file);
        String expected = HexFormat.of().formatHex(LanePlugins.sha256().digest(file));
        received.waiting = new CountDownLatch(1);
        received.release = new CountDownLatch(1);
        received.pauseAfterBytes = 2 << 20;

        Transfer upload = side.streams.openTransfer("recording.42");
        Thread[] writer = new Thread[1];
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            writer[0] = Thread.currentThread();
            try {
                for (int offset = 0; offset < file.length; offset += 1 << 20) {
                    upload.write(java.util.Arrays.copyOfRange(file, offset, offset + (1 << 20)), Duration.ofSeconds(60));
                }
                upload.finish();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(received.waiting.await(20, TimeUnit.SECONDS), "the receiver paused in the middle of the transfer");

        // The receiver holds the transfer: the agent's writer must stop at its credit, not buffer the file.
        Poll.until("the writer waits for credit", WAIT, () -> writer[0] != null
                && writer[0].getState() == Thread.State.TIMED_WAITING);
        long delivered = received.bytes.values().iterator().next().get();
        assertTrue(upload.bytesWritten() <= delivered + AgentStreamRouter.TRANSFER_WINDOW,
                "written " + upload.bytesWritten() + " with " + delivered + " delivered");

        // A command goes through while the transfer is stalled: text frames never wait behind binary ones.
        ApiResult answer = server.api().post("/api/clients/lane-pc/command", Map.of("command", "ping"));
        assertEquals(200, answer.status(), answer.toString());
        assertTrue(answer.data().path("pong").asBoolean());
        assertTrue(received.ended.isEmpty(), "the answer arrived before the transfer ended");
        assertFalse(done.isDone());

        long resumed = System.nanoTime();
        received.release.countDown();
        done.get(60, TimeUnit.SECONDS);
        Poll.until("the transfer ended", WAIT, () -> !received.ended.isEmpty());
        double seconds = (System.nanoTime() - resumed) / 1e9;
        System.out.printf("binary lane: %.1f MiB after the pause in %.2f s (%.1f MiB/s, loopback, shared machine)%n",
                (file.length - delivered) / 1048576.0, seconds, (file.length - delivered) / 1048576.0 / seconds);
        String ended = received.ended.values().iterator().next();
        assertEquals("lane-pc lanetest.recording.42 " + expected, ended);
        assertEquals(file.length, received.bytes.values().iterator().next().get());
        assertEquals(file.length, upload.bytesWritten());
    }

    @Test
    void aReceiverThatThrowsAbortsTheTransferAndTheWriterLearnsWhy() throws Exception {
        received.failChunksWith = "disk full";
        Transfer upload = side.streams.openTransfer("recording.7");
        TransferException refused = assertThrows(TransferException.class, () -> {
            for (int i = 0; i < 64; i++) {
                upload.write(new byte[256 * 1024], Duration.ofSeconds(20));
            }
        });
        assertTrue(refused.getMessage().contains("disk full"), refused.getMessage());
        Poll.until("the receiver was told", WAIT, () -> !received.aborted.isEmpty());
        assertTrue(received.aborted.values().iterator().next().contains("disk full"));
    }

    @Test
    void aLostConnectionAbortsTheTransferOnBothSides() throws Exception {
        Transfer upload = side.streams.openTransfer("recording.9");
        upload.write(new byte[100_000], Duration.ofSeconds(10));
        Poll.until("the first bytes arrived", WAIT, () -> !received.bytes.isEmpty());

        // An admin re-enrols the client: the server drops its connection at once.
        ApiResult reenrol = server.api().post("/api/clients/lane-pc/re-enroll", Map.of());
        assertEquals(200, reenrol.status(), reenrol.toString());

        Poll.until("the server side saw the abort", WAIT, () -> !received.aborted.isEmpty());
        String reason = received.aborted.values().iterator().next();
        assertTrue(reason.contains("disconnected"), reason);
        TransferException lost = assertThrows(TransferException.class,
                () -> upload.write(new byte[10], Duration.ofSeconds(5)));
        assertTrue(lost.getMessage().contains("connection"), lost.getMessage());
        assertTrue(received.ended.isEmpty());
    }

    @Test
    void aWriterWithoutCreditGivesUpAtItsTimeoutAndTheServerSideLearnsWhy() throws Exception {
        received.waiting = new CountDownLatch(1);
        received.release = new CountDownLatch(1);
        received.pauseAfterBytes = 1;
        Transfer upload = side.streams.openTransfer("recording.slow");
        upload.write(new byte[AgentStreamRouter.TRANSFER_WINDOW], Duration.ofSeconds(10)); // the whole window
        assertTrue(received.waiting.await(20, TimeUnit.SECONDS));
        TransferException starved = assertThrows(TransferException.class,
                () -> upload.write(new byte[1000], Duration.ofMillis(200)));
        assertTrue(starved.getMessage().contains("No credit"), starved.getMessage());
        received.release.countDown();
        Poll.until("the receiver saw the abort", WAIT, () -> !received.aborted.isEmpty());
        assertTrue(received.aborted.values().iterator().next().contains("No credit"), received.aborted.toString());
        assertTrue(received.ended.isEmpty());
    }
}
