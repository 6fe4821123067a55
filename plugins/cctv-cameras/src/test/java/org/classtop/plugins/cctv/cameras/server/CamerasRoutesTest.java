package org.classtop.plugins.cctv.cameras.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.ClassTopServerExtension;
import org.classtop.testing.FakeAgent;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cctv-cameras routes on the real server (in-process) against a scripted agent that answers the CCTV
 * contract's commands: each route's happy path, every bad input refused before the agent is asked (status,
 * code), the agent's failure codes mapped, unknown/offline/silent clients, snapshots over a lane transfer,
 * and the live view: three viewers share one preview upstream, which is stopped when they leave.
 */
class CamerasRoutesTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, 4, 5, (byte) 0xFF, (byte) 0xD9};

    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension(b -> b
            .pluginConfig("cctv-cameras.COMMAND_TIMEOUT", "1")
            .pluginConfig("cctv-cameras.SNAPSHOT_TIMEOUT", "1")
            .pluginConfig("cctv-cameras.PREVIEW_LINGER", "0")
            .plugin("cctv-cameras", new CctvCamerasServerPlugin()));

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private static ApiClient api() {
        return SERVER.get().api();
    }

    private static Map<String, Object> view(String camera) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("camera_id", camera);
        view.put("name", "Front");
        view.put("source", "lavfi:testsrc=size=320x240:rate=10");
        view.put("connected", true);
        view.put("recording", false);
        view.put("streaming", false);
        return view;
    }

    /** A fake agent answering the contract's camera commands; "cam1" exists, anything else is CAMERA_NOT_FOUND. */
    private FakeAgent agent(String uuid) {
        FakeAgent agent = SERVER.get().agent(uuid, "Room " + uuid, a -> {
            for (String name : List.of("cctv_get_all_states", "cctv_detect_cameras", "cctv_get_config", "cctv_add_camera",
                    "cctv_remove_camera", "cctv_start_recording", "cctv_stop_recording", "cctv_start_streaming",
                    "cctv_stop_streaming", "cctv_preview_start", "cctv_preview_stop")) {
                a.on(name, params -> {
                    commands.add(name + " " + params);
                    return answer(name, params);
                });
            }
        });
        opened.add(agent);
        return agent;
    }

    private static Object answer(String name, JsonNode params) {
        String camera = params.path("camera_id").asText();
        boolean known = camera.equals("cam1");
        switch (name) {
            case "cctv_get_all_states":
                return Map.of("cameras", List.of(view("cam1")));
            case "cctv_detect_cameras":
                return Map.of("cameras", List.of(Map.of("source", "/dev/video0", "name", "HD Webcam", "kind", "v4l2")));
            case "cctv_get_config":
                return Map.of("cameras", List.of(Map.of("camera_id", "cam1", "source", "/dev/video0")));
            case "cctv_add_camera":
                if (known) {
                    throw new FakeAgent.Failure("A camera with the id 'cam1' already exists.", "CAMERA_EXISTS");
                }
                if (params.path("source").asText().startsWith("bogus")) {
                    throw new FakeAgent.Failure("The source 'bogus' is not a device, URL, file or lavfi graph.", "BAD_SOURCE");
                }
                Map<String, Object> added = view(camera);
                added.put("source", params.path("source").asText());
                return added;
            default:
                if (!known) {
                    throw new FakeAgent.Failure("There is no camera '" + camera + "'.", "CAMERA_NOT_FOUND");
                }
                if (name.equals("cctv_stop_recording")) {
                    throw new FakeAgent.Failure("Camera 'cam1' is not recording.", "NOT_RECORDING");
                }
                if (name.equals("cctv_preview_start")) {
                    return Map.of("camera_id", camera, "stream", "preview." + camera);
                }
                Map<String, Object> state = view(camera);
                state.put("streaming", name.equals("cctv_start_streaming"));
                return state;
        }
    }

    private static void assertError(ApiResult result, int status, String code) {
        assertEquals(status, result.status(), () -> "status of " + result);
        assertFalse(result.success(), result::toString);
        assertEquals(code, result.code(), result::toString);
        assertTrue(result.error() != null && result.error().endsWith(".") && !result.error().contains("Exception"),
                () -> "one readable sentence: " + result.error());
    }

    private long sent(String command) {
        return commands.stream().filter(c -> c.startsWith(command + " ")).count();
    }

    @Test
    void stateDetectAddRemoveAndControlReachTheAgent() {
        agent("pc-1");
        ApiResult state = api().get("/api/cctv/pc-1/state");
        assertEquals(200, state.status(), state::toString);
        assertEquals("cam1", state.data().path("cameras").path(0).path("camera_id").asText());

        ApiResult detect = api().get("/api/cctv/pc-1/cameras");
        assertEquals("/dev/video0", detect.data().path("cameras").path(0).path("source").asText());
        assertEquals("cam1", detect.data().path("configured").path(0).path("camera_id").asText());

        ApiResult added = api().post("/api/cctv/pc-1/cameras", Map.of("camera_id", "cam2", "name", "Back",
                "source", "lavfi:testsrc=size=320x240:rate=10", "width", 320, "height", 240, "fps", 10));
        assertEquals(201, added.status(), added::toString);
        assertEquals("cam2", added.data().path("camera_id").asText());
        assertTrue(commands.stream().anyMatch(c -> c.startsWith("cctv_add_camera ") && c.contains("\"width\":320")
                && c.contains("\"fps\":10") && c.contains("\"name\":\"Back\"")), commands::toString);

        ApiResult removed = api().delete("/api/cctv/pc-1/cameras/cam1");
        assertEquals(200, removed.status(), removed::toString);

        ApiResult streaming = api().post("/api/cctv/pc-1/control", Map.of("camera_id", "cam1", "action", "start_streaming",
                "url", "rtmp://media.school.lan/live/room1"));
        assertEquals(200, streaming.status(), streaming::toString);
        assertTrue(streaming.data().path("streaming").asBoolean());
        assertTrue(commands.stream().anyMatch(c -> c.startsWith("cctv_start_streaming ")
                && c.contains("rtmp://media.school.lan/live/room1")), commands::toString);
        ApiResult recording = api().post("/api/cctv/pc-1/control", Map.of("camera_id", "cam1", "action", "start_recording",
                "segment_seconds", 5));
        assertEquals(200, recording.status(), recording::toString);
        assertTrue(commands.stream().anyMatch(c -> c.startsWith("cctv_start_recording ") && c.contains("\"segment_seconds\":5")));
        assertEquals(200, api().post("/api/cctv/pc-1/control", Map.of("camera_id", "cam1", "action", "stop_streaming")).status());
    }

    @Test
    void badInputIsRefusedBeforeTheAgentIsAsked() {
        agent("pc-2");
        String lavfi = "lavfi:testsrc";
        assertError(api().post("/api/cctv/pc-2/cameras", Map.of("source", lavfi)), 400, "BAD_CAMERA_ID");
        assertError(api().post("/api/cctv/pc-2/cameras", Map.of("camera_id", "../../etc", "source", lavfi)), 400, "BAD_CAMERA_ID");
        assertError(api().post("/api/cctv/pc-2/cameras", Map.of("camera_id", "c".repeat(65), "source", lavfi)), 400, "BAD_CAMERA_ID");
        assertError(api().post("/api/cctv/pc-2/cameras", Map.of("camera_id", 12, "source", lavfi)), 400, "BAD_CAMERA_ID");
        assertError(api().post("/api/cctv/pc-2/cameras", Map.of("camera_id", "cam3")), 400, "BAD_SOURCE");
        assertError(api().post("/api/cctv/pc-2/cameras", Map.of("camera_id", "cam3", "source", "  ")), 400, "BAD_SOURCE");
        assertError(api().post("/api/cctv/pc-2/cameras", Map.of("camera_id", "cam3", "source", "a\nb")), 400, "BAD_SOURCE");
        assertError(api().post("/api/cctv/pc-2/cameras", Map.of("camera_id", "cam3", "source", lavfi, "width", "wide")), 400, "BAD_PARAMS");
        assertError(api().post("/api/cctv/pc-2/cameras", Map.of("camera_id", "cam3", "source", lavfi, "fps", 0)), 400, "BAD_PARAMS");
        assertError(api().post("/api/cctv/pc-2/cameras", Map.of("camera_id", "cam3", "source", lavfi, "height", 1.5)), 400, "BAD_PARAMS");
        assertError(api().post("/api/cctv/pc-2/cameras", List.of()), 400, "INVALID_REQUEST");

        assertError(api().post("/api/cctv/pc-2/control", Map.of("camera_id", "cam1", "action", "explode")), 400, "BAD_ACTION");
        assertError(api().post("/api/cctv/pc-2/control", Map.of("camera_id", "cam1")), 400, "BAD_ACTION");
        assertError(api().post("/api/cctv/pc-2/control", Map.of("action", "start_recording")), 400, "BAD_CAMERA_ID");
        assertError(api().post("/api/cctv/pc-2/control", Map.of("camera_id", "cam1", "action", "start_streaming")), 400, "BAD_URL");
        assertError(api().post("/api/cctv/pc-2/control", Map.of("camera_id", "cam1", "action", "start_streaming",
                "url", "http://example.org/x")), 400, "BAD_URL");
        assertError(api().post("/api/cctv/pc-2/control", Map.of("camera_id", "cam1", "action", "start_streaming",
                "url", "rtmp://host/live room")), 400, "BAD_URL");
        assertError(api().post("/api/cctv/pc-2/control", Map.of("camera_id", "cam1", "action", "start_recording",
                "segment_seconds", 0)), 400, "BAD_PARAMS");

        assertError(api().delete("/api/cctv/pc-2/cameras/bad%20id"), 400, "BAD_CAMERA_ID");
        assertError(api().get("/api/cctv/pc-2/cameras/bad%21/snapshot"), 400, "BAD_CAMERA_ID");
        assertError(api().get("/api/cctv/pc-2/cameras/..%2F..%2Fetc/live"), 400, "BAD_CAMERA_ID");

        assertEquals(0, commands.size(), () -> "nothing reached the agent: " + commands);
    }

    @Test
    void theAgentsFailureCodesKeepTheirMeaning() {
        agent("pc-3");
        assertError(api().post("/api/cctv/pc-3/cameras", Map.of("camera_id", "cam1", "source", "lavfi:testsrc")), 409, "CAMERA_EXISTS");
        assertError(api().post("/api/cctv/pc-3/cameras", Map.of("camera_id", "cam5", "source", "bogus")), 400, "BAD_SOURCE");
        assertError(api().delete("/api/cctv/pc-3/cameras/nope"), 404, "CAMERA_NOT_FOUND");
        assertError(api().post("/api/cctv/pc-3/control", Map.of("camera_id", "cam1", "action", "stop_recording")), 409, "NOT_RECORDING");
        ApiResult notFound = api().post("/api/cctv/pc-3/control", Map.of("camera_id", "nope", "action", "stop_streaming"));
        assertError(notFound, 404, "CAMERA_NOT_FOUND");
        assertEquals("There is no camera 'nope'.", notFound.error());
    }

    @Test
    void unknownOfflineAndSilentClients() {
        assertError(api().get("/api/cctv/nobody/state"), 404, "CLIENT_NOT_FOUND");
        FakeAgent gone = agent("pc-gone");
        gone.close();
        Poll.until("pc-gone offline", WAIT, () -> api().get("/api/cctv/pc-gone/state").status() == 503);
        assertError(api().get("/api/cctv/pc-gone/state"), 503, "CLIENT_OFFLINE");
        assertError(api().get("/api/cctv/pc-gone/cameras/cam1/live"), 503, "CLIENT_OFFLINE");

        FakeAgent silent = agent("pc-silent");
        silent.silent();
        assertError(api().get("/api/cctv/pc-silent/state"), 504, "COMMAND_TIMEOUT");
    }

    @Test
    void aViewerMayReadButNotChange() {
        agent("pc-4");
        ApiResult token = api().post("/api/tokens", Map.of("name", "cctv-viewer", "role", "viewer"));
        ApiClient viewer = ApiClient.withToken(SERVER.get().baseUrl(), token.data().path("token").asText());
        assertEquals(200, viewer.get("/api/cctv/pc-4/state").status());
        assertError(viewer.post("/api/cctv/pc-4/cameras", Map.of("camera_id", "cam9", "source", "lavfi:testsrc")), 403, "FORBIDDEN");
        assertError(viewer.post("/api/cctv/pc-4/control", Map.of("camera_id", "cam1", "action", "start_recording")), 403, "FORBIDDEN");
        assertError(viewer.delete("/api/cctv/pc-4/cameras/cam1"), 403, "FORBIDDEN");
        assertError(api().anonymous().get("/api/cctv/pc-4/state"), 401, "UNAUTHORIZED");
        assertEquals(0, sent("cctv_add_camera") + sent("cctv_remove_camera") + sent("cctv_start_recording"));
    }

    @Test
    void snapshotIsOneJpegSentOverTheLane() {
        AtomicInteger asked = new AtomicInteger();
        FakeAgent agent = SERVER.get().agent("pc-snap", "Snap", a -> a.on("cctv_snapshot", params -> {
            asked.incrementAndGet();
            String camera = params.path("camera_id").asText();
            String transfer = params.path("transfer").asText();
            assertTrue(transfer.matches("[A-Za-z0-9_-]{1,64}"), transfer);
            switch (camera) {
                case "cam1" -> {
                    FakeAgent self = opened.stream().filter(o -> o instanceof FakeAgent f && f.uuid().equals("pc-snap"))
                            .map(o -> (FakeAgent) o).findFirst().orElseThrow();
                    self.sendChunk("cctv-cameras.snapshot." + transfer, 7, java.util.Arrays.copyOf(JPEG, 6));
                    self.sendChunk("cctv-cameras.snapshot." + transfer, 7, java.util.Arrays.copyOfRange(JPEG, 6, JPEG.length));
                    self.sendTransferEnd("cctv-cameras.snapshot." + transfer, 7);
                    return Map.of("camera_id", camera, "bytes", JPEG.length, "width", 320, "height", 240);
                }
                case "dark" -> throw new FakeAgent.Failure("Camera 'dark' has no frame yet.", "NO_FRAME_YET");
                case "lost" -> {
                    return Map.of("camera_id", camera, "bytes", 100, "width", 320, "height", 240); // the bytes never come
                }
                default -> throw new FakeAgent.Failure("There is no camera '" + camera + "'.", "CAMERA_NOT_FOUND");
            }
        }));
        opened.add(agent);
        ApiResult snapshot = api().get("/api/cctv/pc-snap/cameras/cam1/snapshot");
        assertEquals(200, snapshot.status(), snapshot::toString);
        assertEquals("image/jpeg", snapshot.header("Content-Type"));
        assertArrayEquals(JPEG, snapshot.body());
        assertError(api().get("/api/cctv/pc-snap/cameras/dark/snapshot"), 503, "NO_FRAME_YET");
        assertError(api().get("/api/cctv/pc-snap/cameras/nope/snapshot"), 404, "CAMERA_NOT_FOUND");
        assertError(api().get("/api/cctv/pc-snap/cameras/lost/snapshot"), 504, "SNAPSHOT_TIMEOUT");
        assertEquals(4, asked.get());
    }

    @Test
    void threeViewersShareOnePreviewUpstreamThatStopsWhenTheyLeave() throws Exception {
        FakeAgent agent = agent("pc-live");
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread camera = new Thread(() -> {
            while (sending.get()) {
                agent.sendLive("cctv-cameras.preview.cam1", JPEG);
                agent.sendLive("cctv-cameras.preview.cam2", JPEG); // nobody watches cam2: dropped
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        camera.setDaemon(true);
        camera.start();
        try {
            List<MjpegViewer> viewers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                viewers.add(new MjpegViewer(SERVER.get().baseUrl(), SERVER.get().adminToken(), "/api/cctv/pc-live/cameras/cam1/live"));
            }
            for (MjpegViewer viewer : viewers) {
                Poll.until("each viewer sees frames", WAIT, () -> viewer.parts.get() >= 3);
                assertTrue(viewer.contentType.startsWith("multipart/x-mixed-replace"), viewer.contentType);
            }
            assertEquals(1, sent("cctv_preview_start"), () -> "one upstream for three viewers: " + commands);
            assertTrue(commands.stream().anyMatch(c -> c.startsWith("cctv_preview_start ") && c.contains("\"fps\":2")
                    && c.contains("\"max_width\":640") && c.contains("\"lease_seconds\":30")), commands::toString);
            assertEquals(0, sent("cctv_preview_stop"));

            viewers.get(0).close();
            viewers.get(1).close();
            int before = viewers.get(2).parts.get();
            Poll.until("the last viewer still sees frames", WAIT, () -> viewers.get(2).parts.get() >= before + 3);
            assertEquals(0, sent("cctv_preview_stop"), "two left, one still watches");

            viewers.get(2).close();
            Poll.until("cctv_preview_stop after the last viewer left", WAIT, () -> sent("cctv_preview_stop") == 1);
            assertEquals(1, sent("cctv_preview_start"));

            assertError(api().get("/api/cctv/pc-live/cameras/nope/live"), 404, "CAMERA_NOT_FOUND");
        } finally {
            sending.set(false);
        }
    }

    @Test
    void aBrowserThatStopsReadingSkipsFramesAndNeverHoldsTheOthersUp() throws Exception {
        FakeAgent agent = agent("pc-slow");
        byte[] big = new byte[200 * 1024]; // a large preview frame: a stalled socket fills up fast
        System.arraycopy(JPEG, 0, big, 0, 4);
        try (java.net.Socket stalled = new java.net.Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new java.net.InetSocketAddress("127.0.0.1", SERVER.get().port()));
            stalled.getOutputStream().write(("GET /api/cctv/pc-slow/cameras/cam1/live HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + SERVER.get().adminToken() + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            Poll.until("the stalled viewer's preview started", WAIT, () -> sent("cctv_preview_start") == 1);
            try (MjpegViewer reader = new MjpegViewer(SERVER.get().baseUrl(), SERVER.get().adminToken(), "/api/cctv/pc-slow/cameras/cam1/live")) {
                for (int i = 0; i < 60; i++) { // 12 MB to both: the stalled one cannot take it, the reader gets its frames
                    agent.sendLive("cctv-cameras.preview.cam1", big);
                    Thread.sleep(20);
                }
                Poll.until("the reading viewer keeps getting frames", WAIT, () -> reader.parts.get() >= 20);
            }
            assertEquals(1, sent("cctv_preview_start"), "one upstream for both");
        }
        // A viewer that went away is noticed at the next frame written to it: the agent keeps sending until the stop.
        Poll.until("the preview stopped once both left", WAIT, () -> {
            agent.sendLive("cctv-cameras.preview.cam1", JPEG);
            return sent("cctv_preview_stop") == 1;
        });
    }
}
