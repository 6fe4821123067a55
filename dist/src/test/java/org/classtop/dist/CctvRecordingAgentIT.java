package org.classtop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled cctv-cameras, cctv-recording (with its shaded SQLite driver) and cctv-storage jars on the real agent
 * process: a lavfi camera is recorded in 2 s segments, the agent is killed with SIGKILL mid-segment and started
 * again: every finished segment is still indexed and playable, the cut one repaired or dropped (never a broken
 * file in the index), and recording resumes by itself. Then storage info and a size cleanup on the same agent.
 */
class CctvRecordingAgentIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path work;

    @RegisterExtension
    final StartedResources started = new StartedResources();

    private static JsonNode command(ApiClient api, String uuid, String command, Map<String, Object> params) {
        ApiResult result = api.post("/api/clients/" + uuid + "/command", Map.of("command", command, "params", params, "timeout", 60));
        assertEquals(200, result.status(), command + ": " + result);
        return result.data();
    }

    @Test
    void recordingSurvivesKill9OfTheRealAgent() throws Exception {
        LmsServer server = started.track(LmsServer.start(work, LmsServer.randomToken(), work.resolve("server-data"), 0,
                "--enrollment", "open"));
        ApiClient api = server.api();
        Path agentData = work.resolve("agent-data");
        AgentProcess agent = started.track(AgentProcess.start(work, server.url(), "Recording PC", agentData, null));
        agent.awaitConnected(WAIT);
        String uuid = agent.uuid();
        Path hall = agentData.resolve("plugins/cctv-recording/recordings/hall");

        command(api, uuid, "cctv_add_camera", Map.of("camera_id", "hall", "source", "lavfi:testsrc=size=320x240:rate=10"));
        JsonNode recording = command(api, uuid, "cctv_start_recording", Map.of("camera_id", "hall", "segment_seconds", 2));
        assertTrue(recording.path("recording").asBoolean(), recording.toString());
        Poll.until("two segments are indexed and a third is well under way", WAIT,
                () -> command(api, uuid, "cctv_get_recordings", Map.of("camera_id", "hall")).path("recordings").size() >= 2
                        && files(hall, ".mp4.part").stream().anyMatch(p -> size(hall.resolve(p)) > 8_000));

        agent.process().kill(); // SIGKILL: no shutdown, no trailer, no rename
        assertTrue(agent.process().awaitExit(Duration.ofSeconds(30)) != 0);
        List<String> finished = files(hall, ".mp4");
        List<String> parts = files(hall, ".mp4.part");
        assertEquals(1, parts.size(), "the kill left the segment being written: " + parts);
        String cut = parts.get(0).substring(0, parts.get(0).length() - ".part".length());
        Instant restartedAt = Instant.now();

        AgentProcess again = started.track(AgentProcess.start(work, server.url(), "Recording PC", agentData, null));
        again.awaitConnected(WAIT);
        JsonNode rows = command(api, uuid, "cctv_get_recordings", Map.of("camera_id", "hall")).path("recordings");
        Set<String> indexed = new HashSet<>();
        rows.forEach(r -> indexed.add(r.path("path").asText()));
        for (String name : finished) {
            assertTrue(indexed.contains("hall/" + name), name + " is indexed: " + indexed);
            int frames = ffprobeFrames(hall.resolve(name));
            assertTrue(frames >= 15 && frames <= 21, name + " has " + frames + " frames");
        }
        assertFalse(Files.exists(hall.resolve(parts.get(0))), "the .part is repaired or removed");
        if (Files.exists(hall.resolve(cut))) {
            assertTrue(indexed.contains("hall/" + cut), "a repaired segment is indexed");
            int frames = ffprobeFrames(hall.resolve(cut));
            assertTrue(frames > 0, cut + " has " + frames + " frames");
        } else {
            assertFalse(indexed.contains("hall/" + cut));
        }
        for (JsonNode row : rows) {
            assertEquals(Files.size(agentData.resolve("plugins/cctv-recording/recordings").resolve(row.path("path").asText())),
                    row.path("bytes").asLong(), row.toString());
        }

        Poll.until("recording resumed by itself after the restart", WAIT, () -> {
            for (JsonNode row : command(api, uuid, "cctv_get_recordings", Map.of("camera_id", "hall")).path("recordings")) {
                if (Instant.parse(row.path("start").asText()).isAfter(restartedAt)) {
                    return true;
                }
            }
            return false;
        });

        ApiResult traversal = api.post("/api/clients/" + uuid + "/command",
                Map.of("command", "cctv_get_recording", "params", Map.of("id", "../../etc/passwd")));
        assertEquals(502, traversal.status(), traversal.toString());
        assertEquals("The recording id '../../etc/passwd' is not valid: it must be a positive whole number.", traversal.error());

        JsonNode info = command(api, uuid, "cctv_get_storage_info", Map.of());
        assertTrue(info.path("recordings_count").asInt() >= finished.size(), info.toString());
        assertTrue(info.path("free_bytes").asLong() > 0);
        command(api, uuid, "cctv_stop_recording", Map.of("camera_id", "hall"));
        JsonNode cleanup = command(api, uuid, "cctv_cleanup_storage", Map.of("max_total_bytes", 1, "min_free_bytes", 0));
        assertEquals(cleanup.path("deleted").asInt(), cleanup.path("reasons").path("size").asInt(), cleanup.toString());
        assertEquals(0, command(api, uuid, "cctv_get_recordings", Map.of()).path("recordings").size());
        assertEquals(List.of(), files(hall, ".mp4"));
    }

    private static List<String> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** ffprobe's count of decoded video frames; a missing ffprobe fails the test (CI installs ffmpeg). */
    private static int ffprobeFrames(Path file) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                    "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file.toString()).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            throw new AssertionError("ffprobe is needed to check that the segments play (install ffmpeg): "
                    + notInstalled.getMessage(), notInstalled);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "ffprobe: " + out);
        return Integer.parseInt(out.replace(",", "").trim());
    }
}
