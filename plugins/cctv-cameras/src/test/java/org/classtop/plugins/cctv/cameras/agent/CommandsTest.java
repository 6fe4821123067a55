package org.classtop.plugins.cctv.cameras.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands of cctv-cameras on a real agent connected to a real in-process server. */
class CommandsTest {
    @TempDir
    Path dir;
    CamerasRig rig;

    @AfterEach
    void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    private CamerasRig rig(Map<String, String> settings) throws Exception {
        rig = new CamerasRig(dir.resolve("agent"), settings);
        return rig;
    }

    private static Map<String, Object> params(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void camerasAreAddedRemovedAndSurviveAnAgentRestart() throws Exception {
        rig(Map.of());
        JsonNode added = rig.ok("cctv_add_camera", params("camera_id", "front", "name", "Front door",
                "source", "lavfi:testsrc=size=320x240:rate=10"));
        assertEquals("front", added.path("camera_id").asText());
        assertEquals("Front door", added.path("name").asText());
        assertFalse(added.path("recording").asBoolean());
        assertTrue(added.path("streaming_url").isNull());
        rig.ok("cctv_add_camera", params("camera_id", "back", "source", "lavfi:testsrc=size=160x120:rate=5", "width", 320,
                "height", 240, "fps", 5));
        rig.awaitConnected("front");
        rig.awaitConnected("back");
        JsonNode back = rig.state("back");
        assertEquals(320, back.path("width").asInt(), "scaled to the asked size: " + back);
        assertEquals(240, back.path("height").asInt());
        assertEquals("back", back.path("name").asText(), "the name defaults to the id");
        assertTrue(Files.isRegularFile(dir.resolve("agent/plugins/cctv-cameras/cameras.json")));

        JsonNode resolutions = rig.ok("cctv_get_camera_resolutions", params("camera_id", "front"));
        assertEquals(320, resolutions.path("current").path("width").asInt());
        assertEquals(240, resolutions.path("resolutions").get(0).path("height").asInt());

        Poll.until("the state section lists both cameras", CamerasRig.WAIT, () -> {
            JsonNode cameras = rig.server.api().get("/api/clients/" + CamerasRig.UUID).data().path("state").path("cctv_state").path("cameras");
            return cameras.size() == 2 && cameras.get(0).path("connected").asBoolean() && cameras.get(1).path("connected").asBoolean();
        });
        Poll.until("added and connected events", CamerasRig.WAIT, () -> rig.events().stream().filter(e -> e.startsWith("cctv-cameras.camera_connected")).count() == 2);
        assertTrue(rig.events().stream().anyMatch(e -> e.startsWith("cctv-cameras.camera_added") && e.contains("\"camera_id\":\"front\"")), rig.events().toString());

        rig.restartAgent();
        JsonNode config = rig.ok("cctv_get_config", Map.of());
        assertEquals(List.of("front", "back"), ids(config.path("cameras")));
        assertEquals(5.0, config.path("cameras").get(1).path("fps").asDouble());
        rig.awaitConnected("front");

        assertEquals("{\"camera_id\":\"front\",\"removed\":true}", rig.ok("cctv_remove_camera", params("camera_id", "front")).toString());
        assertEquals(List.of("back"), ids(rig.ok("cctv_get_all_states", Map.of()).path("cameras")));
        Poll.until("camera_removed event", CamerasRig.WAIT, () -> rig.events().stream().anyMatch(e -> e.startsWith("cctv-cameras.camera_removed")));
        rig.restartAgent();
        assertEquals(List.of("back"), ids(rig.ok("cctv_get_config", Map.of()).path("cameras")));
    }

    private static List<String> ids(JsonNode cameras) {
        List<String> ids = new java.util.ArrayList<>();
        cameras.forEach(c -> ids.add(c.path("camera_id").asText()));
        return ids;
    }

    private static final String LAVFI = "A lavfi: source is one test source (allrgb, allyuv, color, colorchart, colorspectrum, gradients, haldclutsrc, mandelbrot, "
                        + "pal100bars, pal75bars, rgbtestsrc, smptebars, smptehdbars, testsrc, testsrc2, yuvtestsrc, zoneplate) with plain options, e.g. lavfi:testsrc=size=640x480:rate=25.";

    /** Each bad input: 502 COMMAND_FAILED through the generic route, its sentence, and the agent's code. */
    @Test
    void badParametersEachGetTheirSentenceAndCode() throws Exception {
        rig(Map.of());
        Path notAVideo = Files.writeString(dir.resolve("notes.txt"), "x");
        rig.ok("cctv_add_camera", params("camera_id", "cam", "source", "lavfi:testsrc=size=160x120:rate=5"));
        // A device that is not there (yet): accepted and retried until it appears; a second camera on it is refused.
        rig.ok("cctv_add_camera", params("camera_id", "dev1", "source", "/dev/video7"));
        Map<String, Object> missing = new LinkedHashMap<>(); // case -> what came back instead of its status, sentence and code
        String[][] cases = {
                {"cctv_get_camera_state", "{\"camera_id\":\"nope\"}", "CAMERA_NOT_FOUND", "There is no camera 'nope' on this client."},
                {"cctv_remove_camera", "{\"camera_id\":\"nope\"}", "CAMERA_NOT_FOUND", "There is no camera 'nope' on this client."},
                {"cctv_get_camera_state", "{\"camera_id\":\"../../etc/passwd\"}", "BAD_PARAMS",
                        "The camera_id '../../etc/passwd' is not valid: use 1 to 64 letters, digits, '_' or '-'."},
                {"cctv_get_camera_state", "{\"camera_id\":42}", "BAD_PARAMS",
                        "The camera_id '42' is not valid: use 1 to 64 letters, digits, '_' or '-'."},
                {"cctv_add_camera", "{\"source\":\"lavfi:testsrc\"}", "BAD_PARAMS", "Command 'cctv_add_camera' needs the parameter 'camera_id'."},
                {"cctv_add_camera", "{\"camera_id\":\"x\"}", "BAD_PARAMS", "Command 'cctv_add_camera' needs the parameter 'source'."},
                {"cctv_add_camera", "{\"camera_id\":\"cam\",\"source\":\"lavfi:testsrc\"}", "CAMERA_EXISTS",
                        "A camera with the id 'cam' already exists on this client."},
                {"cctv_add_camera", "{\"camera_id\":\"x\",\"source\":\"ftp://host/cam\"}", "BAD_SOURCE",
                        "The scheme 'ftp' is not supported: use file, http, https, rtmp, rtmps, rtp, rtsp, rtsps, srt, tcp, udp, a device, a video file path or lavfi:<graph>."},
                {"cctv_add_camera", "{\"camera_id\":\"x\",\"source\":\"videos/a.mp4\"}", "BAD_SOURCE",
                        "The source 'videos/a.mp4' is not a device, a stream URL, an absolute video file path or lavfi:<graph>."},
                {"cctv_add_camera", "{\"camera_id\":\"x\",\"source\":\"/no/such/file.mp4\"}", "BAD_SOURCE",
                        "The video file '/no/such/file.mp4' does not exist on this client."},
                {"cctv_add_camera", "{\"camera_id\":\"x\",\"source\":\"lavfi:\"}", "BAD_SOURCE",
                        "The source 'lavfi:' needs a filter graph, e.g. lavfi:testsrc=size=640x480:rate=25."},
                {"cctv_add_camera", "{\"camera_id\":\"x\",\"source\":\"lavfi:testsrc[a];testsrc[b];[a][b]psnr=stats_file=/tmp/x\"}", "BAD_SOURCE",
                        LAVFI},
                {"cctv_add_camera", "{\"camera_id\":\"x\",\"source\":\"lavfi:movie=/etc/passwd\"}", "BAD_SOURCE", LAVFI},
                {"cctv_add_camera", "{\"camera_id\":\"x\",\"source\":\"lavfi:life=f=/etc/passwd\"}", "BAD_SOURCE", LAVFI},
                {"cctv_add_camera", "{\"camera_id\":\"x\",\"source\":\"lavfi:cellauto=filename=/etc/passwd\"}", "BAD_SOURCE", LAVFI},
                {"cctv_add_camera", "{\"camera_id\":\"x\",\"source\":\"lavfi:nullsrc\"}", "BAD_SOURCE", LAVFI},
                {"cctv_add_camera", "{\"camera_id\":\"dev2\",\"source\":\"/dev/video7\"}", "BAD_SOURCE",
                        "The device '/dev/video7' is already camera 'dev1' on this client."},
                {"cctv_add_camera", "{\"camera_id\":\"x\",\"source\":\"lavfi:testsrc\",\"width\":640}", "BAD_PARAMS",
                        "Give both width and height, or neither (the camera's own size)."},
                {"cctv_add_camera", "{\"camera_id\":\"x\",\"source\":\"lavfi:testsrc\",\"fps\":500}", "BAD_PARAMS",
                        "The parameter 'fps' must be from 0 to 120, not 500."},
                {"cctv_add_camera", "{\"camera_id\":\"x\",\"source\":\"lavfi:testsrc\",\"fps\":\"fast\"}", "BAD_PARAMS",
                        "The parameter 'fps' must be a number, not 'fast'."},
                {"cctv_start_streaming", "{\"camera_id\":\"cam\"}", "BAD_PARAMS",
                        "Command 'cctv_start_streaming' needs the parameter 'url' (rtmp:// or rtsp://)."},
                {"cctv_start_streaming", "{\"camera_id\":\"cam\",\"url\":\"http://example.org/x\"}", "BAD_PARAMS",
                        "The streaming URL must be rtmp://, rtmps://, rtsp://, srt://, udp:// or tcp:// with a host, not 'http://example.org/x'."},
                {"cctv_stop_streaming", "{\"camera_id\":\"cam\"}", "NOT_STREAMING", "Camera 'cam' is not streaming."},
                {"cctv_preview_start", "{\"camera_id\":\"cam\",\"fps\":50}", "BAD_PARAMS", "The parameter 'fps' must be from 0.1 to 10, not 50."},
                {"cctv_preview_start", "{\"camera_id\":\"cam\",\"max_width\":4000}", "BAD_PARAMS",
                        "The parameter 'max_width' must be from 16 to 1280, not 4000."},
                {"cctv_snapshot", "{\"camera_id\":\"cam\",\"transfer\":\"../x\"}", "BAD_PARAMS",
                        "The transfer '../x' is not valid: use 1 to 64 letters, digits, '_' or '-'."},
                {"cctv_snapshot", "{\"camera_id\":\"cam\"}", "BAD_PARAMS", "Command 'cctv_snapshot' needs the parameter 'transfer'."},
        };
        for (String[] c : cases) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = new com.fasterxml.jackson.databind.ObjectMapper().readValue(c[1], Map.class);
            ApiResult result = rig.command(c[0], p);
            String code = result.status() == 502 ? rig.loggedAnswer(c[0]).path("response").path("code").asText() : null;
            if (result.status() != 502 || !"COMMAND_FAILED".equals(result.code()) || !c[3].equals(result.error())
                    || !c[2].equals(code)) {
                missing.put(c[0] + " " + c[1], result.status() + " " + result.code() + " " + code + " " + result.error());
            }
        }
        ApiResult file = rig.command("cctv_add_camera", params("camera_id", "notes", "source", notAVideo.toString()));
        assertEquals(200, file.status(), "a file is accepted; that FFmpeg cannot read it shows in the state: " + file);
        Poll.until("the unreadable file's error shows", CamerasRig.WAIT,
                () -> rig.state("notes").path("last_error").asText().startsWith("FFmpeg could not open the source"));
        assertTrue(missing.isEmpty(), "cases without their status, sentence and code: " + missing);
    }

    @Test
    void aFailingSourceIsRetriedWithBackoffFromItsFirstAttempt() throws Exception {
        rig(Map.of("CCTV_CAMERAS_RECONNECT_MIN", "100ms", "CCTV_CAMERAS_RECONNECT_MAX", "400ms"));
        rig.ok("cctv_add_camera", params("camera_id", "broken", "source", "lavfi:testsrc=size=notasize"));
        Poll.until("four attempts", CamerasRig.WAIT, () -> rig.state("broken").path("opens").asLong() >= 4);
        JsonNode state = rig.state("broken");
        assertFalse(state.path("connected").asBoolean());
        assertTrue(state.path("last_error").asText().startsWith("FFmpeg could not open the source"), state.toString());
        assertTrue(state.path("last_error_at").asText().endsWith("Z"), state.toString());
        Poll.until("camera_failed event", CamerasRig.WAIT, () -> rig.events().stream().anyMatch(e -> e.startsWith("cctv-cameras.camera_failed")));
        assertEquals(1, rig.events().stream().filter(e -> e.startsWith("cctv-cameras.camera_failed")).count(),
                "one event per failing episode, not per attempt: " + rig.events());
        ApiResult snapshot = rig.command("cctv_snapshot", params("camera_id", "broken", "transfer", "t1"));
        assertEquals(502, snapshot.status());
        assertTrue(snapshot.error().startsWith("Camera 'broken' has no frame yet"), snapshot.error());
        assertEquals("NO_FRAME_YET", rig.loggedAnswer("cctv_snapshot").path("response").path("code").asText());
    }

    @Test
    void previewFramesComeAtTheAskedRateThroughTheLaneUntilTheLeaseEnds() throws Exception {
        rig(Map.of());
        rig.ok("cctv_add_camera", params("camera_id", "hall", "source", "lavfi:testsrc=size=640x480:rate=25"));
        rig.awaitConnected("hall");
        JsonNode started = rig.ok("cctv_preview_start", params("camera_id", "hall", "fps", 4, "max_width", 320, "lease_seconds", 3));
        assertEquals("preview.hall", started.path("stream").asText());
        Poll.until("eight preview frames", CamerasRig.WAIT, () -> rig.received.previews.size() >= 8);
        List<Long> at = List.copyOf(rig.received.previewNanos);
        double seconds = (at.get(at.size() - 1) - at.get(0)) / 1e9;
        double rate = (at.size() - 1) / seconds;
        assertTrue(rate < 4 * 1.5, "at most about the asked 4 fps, not the camera's 25: " + rate);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(rig.received.previews.get(0)));
        assertEquals(320, image.getWidth(), "scaled down to max_width");
        assertEquals(240, image.getHeight());
        assertTrue(rig.state("hall").path("consumers").toString().contains("\"role\":\"preview\""));

        // Not renewed: the lease ends and the agent stops sending.
        Poll.until("the preview consumer is gone", CamerasRig.WAIT,
                () -> !rig.state("hall").path("consumers").toString().contains("\"role\":\"preview\""));
        int after = rig.received.previews.size();
        // a second preview with the camera's own size (640 <= max_width 1280): the frame's shared JPEG
        rig.ok("cctv_preview_start", params("camera_id", "hall", "fps", 10, "max_width", 1280, "lease_seconds", 30));
        Poll.until("frames again", CamerasRig.WAIT, () -> rig.received.previews.size() >= after + 3);
        BufferedImage full = ImageIO.read(new ByteArrayInputStream(rig.received.previews.get(rig.received.previews.size() - 1)));
        assertEquals(640, full.getWidth());
        assertEquals("{\"camera_id\":\"hall\",\"stopped\":true}", rig.ok("cctv_preview_stop", params("camera_id", "hall")).toString());
        assertFalse(rig.state("hall").path("consumers").toString().contains("\"role\":\"preview\""));
    }

    @Test
    void aSnapshotIsOneValidJpegSentAsATransfer() throws Exception {
        rig(Map.of());
        rig.ok("cctv_add_camera", params("camera_id", "desk", "source", "lavfi:testsrc=size=320x240:rate=15"));
        rig.awaitConnected("desk");
        JsonNode answer = rig.ok("cctv_snapshot", params("camera_id", "desk", "transfer", "snap-1"));
        assertEquals(320, answer.path("width").asInt());
        assertEquals(240, answer.path("height").asInt());
        Poll.until("the transfer finished", CamerasRig.WAIT, () -> rig.received.finished.containsKey("cctv-cameras.snapshot.snap-1"));
        byte[] jpeg = rig.received.transfers.get("cctv-cameras.snapshot.snap-1").toByteArray();
        assertEquals(answer.path("bytes").asInt(), jpeg.length);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertEquals(320, image.getWidth());
        assertEquals(240, image.getHeight());
    }

    /** The admin's full URL stays in cameras.json and cctv_get_config; views, events, errors and logs never carry the password. */
    @Test
    void aCameraPasswordAppearsOnlyInItsConfig() throws Exception {
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log = new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        ch.qos.logback.classic.Logger classtop = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.classtop");
        classtop.addAppender(log);
        try {
            rig(Map.of("CCTV_CAMERAS_RECONNECT_MIN", "100ms", "CCTV_CAMERAS_RECONNECT_MAX", "300ms"));
            int port;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            String source = "rtsp://admin:s3cret@127.0.0.1:" + port + "/stream";
            JsonNode added = rig.ok("cctv_add_camera", params("camera_id", "gate", "source", source));
            assertEquals("rtsp://***@127.0.0.1:" + port + "/stream", added.path("source").asText());
            Poll.until("the refusal shows", CamerasRig.WAIT, () -> rig.state("gate").path("last_error").asText().contains("Connection refused"));
            Poll.until("camera_failed event", CamerasRig.WAIT, () -> rig.events().stream().anyMatch(e -> e.startsWith("cctv-cameras.camera_failed")));
            JsonNode state = rig.state("gate");
            assertTrue(state.path("last_error").asText().contains("rtsp://***@127.0.0.1"), "FFmpeg quotes the URL, redacted: " + state);
            assertEquals(source, rig.ok("cctv_get_config", Map.of()).path("cameras").get(0).path("source").asText());
            assertTrue(Files.readString(dir.resolve("agent/plugins/cctv-cameras/cameras.json")).contains(source));
            List<String> seen = new java.util.ArrayList<>();
            seen.add(added.toString());
            seen.add(state.toString());
            seen.add(rig.ok("cctv_get_all_states", Map.of()).toString());
            seen.add(rig.server.api().get("/api/clients/" + CamerasRig.UUID).data().path("state").path("cctv_state").toString());
            seen.addAll(rig.events());
            List.copyOf(log.list).forEach(e -> seen.add(e.getFormattedMessage()));
            assertTrue(seen.size() > 6 && seen.stream().anyMatch(line -> line.contains("***@")), seen.toString());
            assertEquals(List.of(), seen.stream().filter(line -> line.contains("s3cret")).toList());
            assertEquals(List.of(rig.feeds().camera("gate").orElseThrow().source()), List.of("rtsp://***@127.0.0.1:" + port + "/stream"));
        } finally {
            classtop.detachAppender(log);
        }
    }

    /** A graph saved before the source check (here: lavfi:life with a file) is not run after a restart: it is failed, removable. */
    @Test
    void aSavedSourceThatNoLongerPassesTheCheckIsRefusedAtLoad() throws Exception {
        Path saved = dir.resolve("agent/plugins/cctv-cameras/cameras.json");
        Files.createDirectories(saved.getParent());
        Files.writeString(saved, "{\"cameras\":[{\"camera_id\":\"old\",\"name\":\"old\",\"source\":\"lavfi:life=f=/etc/passwd\","
                + "\"width\":0,\"height\":0,\"fps\":0},{\"camera_id\":\"ok\",\"name\":\"ok\",\"source\":"
                + "\"lavfi:testsrc=size=160x120:rate=5\",\"width\":0,\"height\":0,\"fps\":0}]}");
        rig(Map.of());
        rig.awaitConnected("ok");
        JsonNode old = rig.state("old");
        assertFalse(old.path("connected").asBoolean());
        assertEquals(0, old.path("opens").asLong(), "never opened: " + old);
        assertEquals("Refused: " + LAVFI, old.path("last_error").asText());
        Poll.until("camera_failed event for it", CamerasRig.WAIT,
                () -> rig.events().stream().anyMatch(e -> e.startsWith("cctv-cameras.camera_failed") && e.contains("\"old\"")));
        rig.ok("cctv_remove_camera", params("camera_id", "old"));
        assertEquals(List.of("ok"), ids(rig.ok("cctv_get_config", Map.of()).path("cameras")));
    }

    @Test
    void aPictureLargerThanTheMaximumFailsWithASentence() throws Exception {
        rig(Map.of("CCTV_CAMERAS_MAX_PIXELS", "10000"));
        rig.ok("cctv_add_camera", params("camera_id", "big", "source", "lavfi:testsrc=size=320x240:rate=5"));
        Poll.until("the refusal shows", CamerasRig.WAIT, () -> !rig.state("big").path("last_error").isNull());
        assertEquals("The source's pictures are 320x240, more than the 10000 pixels allowed (MAX_PIXELS): lower its resolution.",
                rig.state("big").path("last_error").asText());
        assertFalse(rig.state("big").path("connected").asBoolean());
    }

    /** A refused subscription is a coded failure, and leaves no stream behind. */
    @Test
    void consumersBeyondTheMaximumAreRefusedWithACode() throws Exception {
        rig(Map.of("CCTV_CAMERAS_MAX_CONSUMERS", "1"));
        rig.ok("cctv_add_camera", params("camera_id", "one", "source", "lavfi:testsrc=size=160x120:rate=10"));
        rig.awaitConnected("one");
        rig.ok("cctv_preview_start", params("camera_id", "one", "fps", 1, "lease_seconds", 60));
        ApiResult refused = rig.command("cctv_start_streaming", params("camera_id", "one", "url", "tcp://127.0.0.1:9"));
        assertEquals(502, refused.status(), refused.toString());
        assertEquals("The camera 'one' already has 1 consumers, the most it serves (cctv-cameras.MAX_CONSUMERS).", refused.error());
        assertEquals("TOO_MANY_CONSUMERS", rig.loggedAnswer("cctv_start_streaming").path("response").path("code").asText());
        JsonNode state = rig.state("one");
        assertFalse(state.path("streaming").asBoolean(), state.toString());
        assertEquals("Camera 'one' is not streaming.", rig.command("cctv_stop_streaming", params("camera_id", "one")).error(),
                "no stale stream entry");
    }

    /**
     * A grabber stuck inside FFmpeg (a TCP peer that accepts and sends nothing) outlives the removal's wait: its id
     * stays busy (CAMERA_BUSY) until the thread ends, so a second grabber never runs beside it.
     */
    @Test
    void anIdStaysBusyUntilTheRemovedCamerasGrabberHasEnded() throws Exception {
        rig(Map.of("CCTV_CAMERAS_STALL_TIMEOUT", "60s"));
        List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.net.ServerSocket silent = new java.net.ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept());
                }
            } catch (java.io.IOException closed) {
                // the test closed it
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        try {
            rig.ok("cctv_add_camera", params("camera_id", "mute", "source", "tcp://127.0.0.1:" + silent.getLocalPort()));
            Poll.until("the grabber is connected and waiting", CamerasRig.WAIT, () -> !accepted.isEmpty());
            rig.ok("cctv_remove_camera", params("camera_id", "mute"));
            ApiResult busy = rig.command("cctv_add_camera", params("camera_id", "mute", "source", "lavfi:testsrc=size=160x120:rate=5"));
            assertEquals(502, busy.status(), busy.toString());
            assertEquals("The removed camera 'mute' is still releasing its source; try again in a few seconds.", busy.error());
            assertEquals("CAMERA_BUSY", rig.loggedAnswer("cctv_add_camera").path("response").path("code").asText());
        } finally {
            // No accept after this, then every accepted connection closed (one accepted while closing is not
            // missed): FFmpeg sees the end and the old grabber thread ends.
            silent.close();
            acceptor.join(5_000);
            for (java.net.Socket socket : accepted) {
                socket.close();
            }
        }
        Poll.until("the id is free again", CamerasRig.WAIT, () -> rig.command("cctv_add_camera",
                params("camera_id", "mute", "source", "lavfi:testsrc=size=160x120:rate=5")).status() == 200);
        rig.awaitConnected("mute");
    }
}
