package org.classtop.plugins.cctv.recording.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.classtop.agent.AgentConfig;
import org.classtop.agent.AgentRuntime;
import org.classtop.plugins.cctv.cameras.agent.CctvCamerasAgentPlugin;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real cctv-cameras agent side (its CameraFeeds, YUV 4:2:0 frames shared by reference count) feeding the
 * recorder, in the real agent runtime connected to the real server: the camera's state says it is recorded, the
 * segments decode with the expected frames, refusals arrive as their sentence, and removing the camera ends the
 * recording (its last segment finished).
 */
class RealCamerasEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static ApiResult command(TestServer server, String command, Map<String, Object> params) {
        return server.api().post("/api/clients/cam-pc/command", Map.of("command", command, "params", params));
    }

    private static JsonNode ok(TestServer server, String command, Map<String, Object> params) {
        ApiResult result = command(server, command, params);
        assertEquals(200, result.status(), command + ": " + result);
        return result.data();
    }

    @Test
    void aRealCameraIsRecordedInSegmentsThatDecode() throws Exception {
        Path agentDir = Files.createDirectories(dir.resolve("agent"));
        try (TestServer server = TestServer.builder()
                .plugin("cctv-cameras", new RecordingTransferEndToEndTest.ServerSide(), new CctvCamerasAgentPlugin())
                .plugin("cctv-recording", List.of("cctv-cameras"), new RecordingTransferEndToEndTest.ServerSide(),
                        new CctvRecordingAgentPlugin()).start();
             AgentRuntime agent = AgentRuntime.builder(AgentConfig.builder(URI.create(server.baseUrl()))
                             .dataDir(agentDir).clientUuid("cam-pc").name("Camera PC").build())
                     .plugin("cctv-cameras", new CctvCamerasAgentPlugin())
                     .plugin("cctv-recording", "0.1.0", List.of("cctv-cameras"), new CctvRecordingAgentPlugin())
                     .build()) {
            agent.start();
            agent.firstRegistration().get(20, TimeUnit.SECONDS);
            ok(server, "cctv_add_camera", Map.of("camera_id", "door", "source", "lavfi:testsrc=size=320x240:rate=10"));
            ok(server, "cctv_start_recording", Map.of("camera_id", "door", "segment_seconds", 2));
            JsonNode state = ok(server, "cctv_get_camera_state", Map.of("camera_id", "door"));
            assertTrue(state.path("recording").asBoolean(), "the camera's state says it is recorded: " + state);
            assertTrue(state.path("consumers").toString().contains("RECORDER") || state.path("consumers").toString().contains("recorder"),
                    state.toString());

            Poll.until("three segments are indexed", WAIT,
                    () -> ok(server, "cctv_get_recordings", Map.of("camera_id", "door")).path("recordings").size() >= 3);
            JsonNode rows = ok(server, "cctv_get_recordings", Map.of("camera_id", "door")).path("recordings");
            Path root = agentDir.resolve("plugins/cctv-recording/recordings");
            for (int i = 1; i < rows.size(); i++) { // the newest may be the one the camera's first second shortened
                Path file = root.resolve(rows.get(i).path("path").asText());
                Videos.Decoded video = Videos.decode(file);
                assertTrue(video.frames() >= 17 && video.frames() <= 21, file + " has " + video.frames() + " frames");
                assertEquals(320, video.width());
                int probed = Videos.ffprobeFrames(file);
                assertTrue(probed == -1 || probed == video.frames(), "ffprobe reads " + probed);
            }

            ApiResult notRecording = command(server, "cctv_stop_recording", Map.of("camera_id", "nope"));
            assertEquals(502, notRecording.status());
            assertEquals("Camera nope is not recording.", notRecording.error(), notRecording.toString());

            ok(server, "cctv_remove_camera", Map.of("camera_id", "door"));
            Poll.until("removing the camera ended its recording", WAIT, () -> server.api()
                    .get("/api/events?client=cam-pc&prefix=cctv-recording.").data().toString().contains("camera removed"));
            ApiResult stop = command(server, "cctv_stop_recording", Map.of("camera_id", "door"));
            assertEquals("Camera door is not recording.", stop.error());
            assertFalse(Files.list(root.resolve("door")).anyMatch(p -> p.toString().endsWith(".part")), "its last segment was finished");
        }
    }
}
