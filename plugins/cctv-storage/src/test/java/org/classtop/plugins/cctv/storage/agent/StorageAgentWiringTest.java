package org.classtop.plugins.cctv.storage.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.classtop.agent.AgentConfig;
import org.classtop.agent.AgentRuntime;
import org.classtop.api.Registration;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.server.ServerPlugin;
import org.classtop.plugins.cctv.cameras.CameraFeeds;
import org.classtop.plugins.cctv.cameras.CameraView;
import org.classtop.plugins.cctv.recording.agent.CctvRecordingAgentPlugin;
import org.classtop.plugins.cctv.recording.agent.StorageTestIndex;
import org.classtop.testing.ApiResult;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three agent plugins wired by the real agent runtime in dependency order (a stand-in cctv-cameras, the real
 * cctv-recording exporting its index, cctv-storage importing it), driven through the real server's command route.
 */
class StorageAgentWiringTest {
    @TempDir
    Path dir;

    /** A cctv-cameras without cameras. */
    public static final class NoCameras implements CameraFeeds {
        @jakarta.inject.Inject
        public NoCameras() {
        }

        @Override
        public List<CameraView> cameras() {
            return List.of();
        }

        @Override
        public Optional<CameraView> camera(String cameraId) {
            return Optional.empty();
        }

        @Override
        public FeedSubscription subscribe(String cameraId, String name, ConsumerRole role, CameraFrameConsumer consumer) {
            throw new NoSuchElementException(cameraId);
        }

        @Override
        public Registration onCameraRemoved(Consumer<String> listener) {
            return () -> { };
        }
    }

    public static final class CamerasSide extends AgentPlugin {
        @Override
        protected void configure() {
            export(CameraFeeds.class).to(NoCameras.class);
        }
    }

    private static final class NoServerSide extends ServerPlugin {
        @Override
        protected void configure() {
        }
    }

    @Test
    void storageCommandsRunOnTheIndexThatCctvRecordingExports() throws Exception {
        Path agentDir = Files.createDirectories(dir.resolve("agent"));
        // a recording found on disk at start: cctv-recording indexes it, cctv-storage sees it
        StorageTestIndex disk = new StorageTestIndex(agentDir.resolve("plugins/cctv-recording"));
        Path old = disk.segment("cam1", java.time.Instant.parse("2025-01-01T00:00:00Z"), 10);
        disk.close();
        try (TestServer server = TestServer.builder()
                .plugin("cctv-recording", new NoServerSide(), new CctvRecordingAgentPlugin())
                .plugin("cctv-storage", new NoServerSide(), new CctvStorageAgentPlugin()).start();
             AgentRuntime agent = AgentRuntime.builder(AgentConfig.builder(URI.create(server.baseUrl()))
                             .dataDir(agentDir).clientUuid("store-pc").name("Storage PC").build())
                     .plugin("cctv-cameras", new CamerasSide())
                     .plugin("cctv-recording", "0.1.0", List.of("cctv-cameras"), new CctvRecordingAgentPlugin())
                     .plugin("cctv-storage", "0.1.0", List.of("cctv-cameras", "cctv-recording"), new CctvStorageAgentPlugin())
                     .build()) {
            agent.start();
            agent.firstRegistration().get(20, TimeUnit.SECONDS);
            ApiResult info = server.api().post("/api/clients/store-pc/command", Map.of("command", "cctv_get_storage_info"));
            assertEquals(200, info.status(), info.toString());
            assertEquals(1, info.data().path("recordings_count").asInt());
            assertEquals(Files.size(old), info.data().path("recordings_bytes").asLong());
            assertEquals(agentDir.resolve("plugins/cctv-recording/recordings").toString(), info.data().path("root").asText());

            ApiResult cleanup = server.api().post("/api/clients/store-pc/command",
                    Map.of("command", "cctv_cleanup_storage", "params", Map.of("min_free_bytes", 0)));
            assertEquals(200, cleanup.status(), cleanup.toString());
            assertEquals(1, cleanup.data().path("reasons").path("age").asInt(), "older than 30 days");
            assertFalse(Files.exists(old));

            ApiResult bad = server.api().post("/api/clients/store-pc/command",
                    Map.of("command", "cctv_cleanup_storage", "params", Map.of("max_age_days", "forever")));
            assertEquals(502, bad.status());
            assertEquals("The parameter 'max_age_days' must be a whole number from 0 (no limit) to 36500, not 'forever'.", bad.error());
            assertTrue(server.api().get("/api/events?client=store-pc&prefix=cctv-storage.").data().toString()
                    .contains("cctv-storage.cleanup_finished"));
        }
    }
}
