package org.classtop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled cctv-cameras jar on the real agent process: it reaches javacv and FFmpeg through its plugin
 * dependency on the video-sources jar (PF4J class loaders, natives loaded from that jar), grabs a lavfi
 * camera, and keeps it across an agent restart.
 */
class CctvCamerasAgentIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @RegisterExtension
    final StartedResources started = new StartedResources();

    private static JsonNode command(ApiClient api, String uuid, String command, Map<String, Object> params) {
        ApiResult result = api.post("/api/clients/" + uuid + "/command", Map.of("command", command, "params", params, "timeout", 30));
        assertEquals(200, result.status(), command + ": " + result);
        return result.data();
    }

    @Test
    void aLavfiCameraOnTheRealAgentSurvivesItsRestart() {
        LmsServer server = started.track(LmsServer.start(work, LmsServer.randomToken(), work.resolve("server-data"), 0,
                "--enrollment", "open"));
        ApiClient api = server.api();
        Path agentData = work.resolve("agent-data");
        AgentProcess agent = started.track(AgentProcess.start(work, server.url(), "Camera PC", agentData, null));
        agent.awaitConnected(WAIT);
        String uuid = agent.uuid();

        JsonNode added = command(api, uuid, "cctv_add_camera",
                Map.of("camera_id", "door", "source", "lavfi:testsrc=size=320x240:rate=10"));
        assertEquals("door", added.path("camera_id").asText());
        Poll.until("the camera delivers frames", WAIT, () -> {
            JsonNode state = command(api, uuid, "cctv_get_camera_state", Map.of("camera_id", "door"));
            return state.path("connected").asBoolean() && state.path("frames").asLong() > 10;
        });
        assertTrue(command(api, uuid, "cctv_detect_cameras", Map.of()).path("cameras").isArray());

        agent.close();
        AgentProcess again = started.track(AgentProcess.start(work, server.url(), "Camera PC", agentData, null));
        again.awaitConnected(WAIT);
        Poll.until("the saved camera delivers frames after the restart", WAIT, () -> {
            JsonNode states = command(api, uuid, "cctv_get_all_states", Map.of()).path("cameras");
            return states.size() == 1 && states.get(0).path("connected").asBoolean();
        });
    }
}
