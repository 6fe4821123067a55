package org.classtop.plugins.cctv.recording.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.classtop.agent.AgentConfig;
import org.classtop.agent.AgentRuntime;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.server.AgentStreamReceiver;
import org.classtop.api.server.AgentTransfer;
import org.classtop.api.server.ServerPlugin;
import org.classtop.plugins.cctv.cameras.CameraFeeds;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent runtime with cctv-recording (and a test cctv-cameras of lavfi cameras) connected to the real server
 * in-process: a recording is made through commands, then {@code cctv_recording_read} sends a byte range over the
 * binary lane, flow-controlled, to a server-side receiver of {@code cctv-recording.file.*}: exactly those bytes.
 */
class RecordingTransferEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** What the test's server side of cctv-recording received, by stream name. */
    static final Map<String, CompletableFuture<byte[]>> RECEIVED = new ConcurrentHashMap<>();
    static final Map<String, ByteArrayOutputStream> BUFFERS = new ConcurrentHashMap<>();

    public static final class FileReceiver implements AgentStreamReceiver {
        @jakarta.inject.Inject
        public FileReceiver() {
        }

        @Override
        public void onTransferChunk(AgentTransfer transfer, byte[] chunk) {
            BUFFERS.computeIfAbsent(transfer.stream(), s -> new ByteArrayOutputStream()).writeBytes(chunk);
        }

        @Override
        public void onTransferEnd(AgentTransfer transfer) {
            ByteArrayOutputStream bytes = BUFFERS.getOrDefault(transfer.stream(), new ByteArrayOutputStream());
            RECEIVED.computeIfAbsent(transfer.stream(), s -> new CompletableFuture<>()).complete(bytes.toByteArray());
        }

        @Override
        public void onTransferAbort(AgentTransfer transfer, String reason) {
            RECEIVED.computeIfAbsent(transfer.stream(), s -> new CompletableFuture<>())
                    .completeExceptionally(new IllegalStateException(reason));
        }
    }

    /** Stands in for the server side of cctv-recording (another helper's): receives the file transfers. */
    public static final class ServerSide extends ServerPlugin {
        @Override
        protected void configure() {
            agentStreams("file.*").to(FileReceiver.class);
        }
    }

    /** Stands in for the agent side of cctv-cameras: exports the lavfi cameras. */
    public static final class CamerasSide extends AgentPlugin {
        @Override
        protected void configure() {
            export(CameraFeeds.class).to(LavfiCameraFeeds.class);
        }
    }

    private static ApiResult command(TestServer server, String command, Map<String, Object> params) {
        return server.api().post("/api/clients/rec-pc/command", Map.of("command", command, "params", params));
    }

    @Test
    void aRangeOfARecordingArrivesOnTheServerByteForByte() throws Exception {
        try (TestServer server = TestServer.builder().plugin("cctv-recording", new ServerSide(), new CctvRecordingAgentPlugin()).start();
             AgentRuntime agent = AgentRuntime.builder(AgentConfig.builder(URI.create(server.baseUrl()))
                             .dataDir(Files.createDirectories(dir.resolve("agent"))).clientUuid("rec-pc").name("Recording PC").build())
                     .plugin("cctv-cameras", new CamerasSide())
                     .plugin("cctv-recording", "0.1.0", List.of("cctv-cameras"), new CctvRecordingAgentPlugin())
                     .build()) {
            // a longer recording found at start (larger than the lane's 1 MiB window, so credit must flow back)
            Path big = Files.createDirectories(dir.resolve("agent/plugins/cctv-recording/recordings/cam2"))
                    .resolve("cam2_20261201T000000Z.mp4");
            Videos.make(big, 900);
            assertTrue(Files.size(big) > (1 << 20), "size " + Files.size(big));
            agent.start();
            agent.firstRegistration().get(20, TimeUnit.SECONDS);

            ApiResult started = command(server, "cctv_start_recording", Map.of("camera_id", "cam1", "segment_seconds", 2));
            assertEquals(200, started.status(), started.toString());
            assertTrue(started.data().path("recording").asBoolean());
            JsonNode rows = Poll.value("a segment is indexed", WAIT,
                    () -> command(server, "cctv_get_recordings", Map.of("camera_id", "cam1")).data().path("recordings"),
                    list -> list.size() >= 1);
            assertEquals(200, command(server, "cctv_stop_recording", Map.of("camera_id", "cam1")).status());

            JsonNode row = rows.get(0);
            Path file = dir.resolve("agent/plugins/cctv-recording/recordings").resolve(row.path("path").asText());
            byte[] bytes = Files.readAllBytes(file);
            assertEquals(bytes.length, row.path("bytes").asLong());
            long offset = 1_001;
            long length = bytes.length - offset - 13;
            ApiResult read = command(server, "cctv_recording_read",
                    Map.of("id", row.path("id").asLong(), "offset", offset, "length", length, "transfer", "e2e-1"));
            assertEquals(200, read.status(), read.toString());
            assertEquals(bytes.length, read.data().path("size").asLong());
            byte[] received = RECEIVED.computeIfAbsent("cctv-recording.file.e2e-1", s -> new CompletableFuture<>())
                    .get(30, TimeUnit.SECONDS);
            assertArrayEquals(Arrays.copyOfRange(bytes, (int) offset, (int) (offset + length)), received);

            JsonNode bigRow = command(server, "cctv_get_recordings", Map.of("camera_id", "cam2")).data().path("recordings").get(0);
            byte[] bigBytes = Files.readAllBytes(big);
            assertEquals("cam2/cam2_20261201T000000Z.mp4", bigRow.path("path").asText());
            ApiResult whole = command(server, "cctv_recording_read",
                    Map.of("id", bigRow.path("id").asLong(), "offset", 0, "length", bigBytes.length, "transfer", "e2e-big"));
            assertEquals(200, whole.status(), whole.toString());
            assertArrayEquals(bigBytes, RECEIVED.computeIfAbsent("cctv-recording.file.e2e-big", s -> new CompletableFuture<>())
                    .get(30, TimeUnit.SECONDS));

            // a refusal crosses the wire as the agent's sentence
            ApiResult traversal = command(server, "cctv_recording_read",
                    Map.of("id", "../../etc/passwd", "offset", 0, "length", 10, "transfer", "e2e-2"));
            assertEquals(502, traversal.status());
            assertEquals("COMMAND_FAILED", traversal.code());
            assertEquals("The recording id '../../etc/passwd' is not valid: it must be a positive whole number.", traversal.error());
            assertTrue(!RECEIVED.containsKey("cctv-recording.file.e2e-2"), "nothing was sent for it");
        }
    }
}
