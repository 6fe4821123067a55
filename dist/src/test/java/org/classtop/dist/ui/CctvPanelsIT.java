package org.classtop.dist.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.classtop.testing.FakeAgent;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The three CCTV panels and the Cameras page in the real distribution (the plugin jars as bundled) and a real
 * browser, with a scripted client that speaks the CCTV contract over a real WebSocket: live preview JPEGs and
 * snapshots on the binary lane, a real H.264 MP4 (made with the ffmpeg command) sent in windows as
 * transfers. An admin adds a lavfi camera from the form, sees its live thumbnail, starts recording, plays
 * the recording in the <video> element (it plays and seeks), downloads it (the relay answers Range),
 * deletes it, runs a storage cleanup and watches its progress, and finds the camera on the Cameras page.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CctvPanelsIT {
    @RegisterExtension
    static final UiSession SESSION = new UiSession("open");
    private static final Duration WAIT = Duration.ofSeconds(30);

    static UiServer server;
    static Browser browser;
    static AdminUi ui;
    static FakeAgent agent;
    static byte[] jpeg;
    static byte[] mp4;
    static final List<Map<String, Object>> cameras = new CopyOnWriteArrayList<>();
    static final List<Map<String, Object>> recordings = new CopyOnWriteArrayList<>();
    static final List<String> commands = new CopyOnWriteArrayList<>();
    static final AtomicLong transfers = new AtomicLong();
    static final AtomicBoolean previewing = new AtomicBoolean();

    @BeforeAll
    static void startAScriptedClient() throws Exception {
        server = SESSION.server();
        browser = SESSION.browser();
        ui = SESSION.ui();
        jpeg = testPattern();
        mp4 = h264Clip();
        agent = new FakeAgent(UUID.randomUUID().toString());
        script(agent);
        agent.register(server.url().replaceFirst("^http", "ws") + "/ws/" + agent.uuid(), "Room 101", Map.of());
        Poll.until("the scripted client online", Duration.ofSeconds(20), () -> server.lms().isOnline(agent.uuid()));
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stopTheClient() {
        previewing.set(false);
        if (agent != null) {
            agent.close();
        }
    }

    /** A 320x240 JPEG, as an agent's preview or snapshot is. */
    static byte[] testPattern() throws IOException {
        BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        Color[] bars = {Color.WHITE, Color.YELLOW, Color.CYAN, Color.GREEN, Color.MAGENTA, Color.RED, Color.BLUE};
        for (int i = 0; i < bars.length; i++) {
            g.setColor(bars[i]);
            g.fillRect(i * 320 / bars.length, 0, 320 / bars.length + 1, 240);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    /** Four seconds of lavfi testsrc as H.264 MP4 (what the recorder writes where FFmpeg has H.264). */
    static byte[] h264Clip() throws Exception {
        Path ffmpeg = Browser.onPath("ffmpeg");
        Path file = Files.createTempFile("cctv-clip-", ".mp4");
        try {
            Process process = new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                    "-i", "testsrc=size=320x240:rate=10", "-t", "4", "-c:v", "libx264", "-pix_fmt", "yuv420p",
                    "-movflags", "+faststart", file.toString()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "ffmpeg: " + output);
            return Files.readAllBytes(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static Map<String, Object> view(String id, String name, String source) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("camera_id", id);
        view.put("name", name);
        view.put("source", source);
        view.put("width", 320);
        view.put("height", 240);
        view.put("fps", 10);
        view.put("connected", true);
        view.put("measured_fps", 10.0);
        view.put("recording", false);
        view.put("streaming", false);
        view.put("streaming_url", null);
        view.put("last_error", null);
        view.put("last_error_at", null);
        view.put("consumers", List.of());
        return view;
    }

    static Map<String, Object> camera(String id) {
        return cameras.stream().filter(c -> id.equals(c.get("camera_id"))).findFirst()
                .orElseThrow(() -> new FakeAgent.Failure("There is no camera '" + id + "'.", "CAMERA_NOT_FOUND"));
    }

    static void stateChanged() {
        agent.stateUpdate(Map.of("cctv_state", Map.of("cameras", new ArrayList<>(cameras))));
    }

    static void event(String name, Map<String, Object> data) {
        agent.sendJson(Map.of("type", "event", "event", name, "data", data));
    }

    /** Sends bytes [offset, offset+length) of {@code bytes} as one lane transfer, on its own thread. */
    static void transfer(String stream, byte[] bytes, long offset, int length) {
        long id = transfers.incrementAndGet();
        Thread writer = new Thread(() -> {
            for (int sent = 0; sent < length; sent += 64 * 1024) {
                int n = Math.min(64 * 1024, length - sent);
                agent.sendChunk(stream, id, Arrays.copyOfRange(bytes, (int) offset + sent, (int) offset + sent + n));
            }
            agent.sendTransferEnd(stream, id);
        });
        writer.setDaemon(true);
        writer.start();
    }

    static void script(FakeAgent a) {
        a.on("cctv_get_all_states", p -> Map.of("cameras", new ArrayList<>(cameras)));
        a.on("cctv_detect_cameras", p -> Map.of("cameras", List.of()));
        a.on("cctv_get_config", p -> Map.of("cameras", new ArrayList<>(cameras)));
        a.on("cctv_add_camera", p -> {
            commands.add("cctv_add_camera " + p);
            Map<String, Object> view = view(p.path("camera_id").asText(), p.path("name").asText(p.path("camera_id").asText()),
                    p.path("source").asText());
            cameras.add(view);
            stateChanged();
            event("cctv-cameras.camera_added", Map.of("camera_id", view.get("camera_id")));
            return view;
        });
        a.on("cctv_start_recording", p -> {
            commands.add("cctv_start_recording " + p);
            Map<String, Object> camera = camera(p.path("camera_id").asText());
            camera.put("recording", true);
            stateChanged();
            return Map.of("camera_id", camera.get("camera_id"), "recording", true, "segment_seconds", 4);
        });
        a.on("cctv_stop_recording", p -> {
            Map<String, Object> camera = camera(p.path("camera_id").asText());
            camera.put("recording", false);
            stateChanged();
            return Map.of("camera_id", camera.get("camera_id"), "recording", false, "segment_seconds", 4);
        });
        a.on("cctv_preview_start", p -> {
            commands.add("cctv_preview_start " + p);
            String id = camera(p.path("camera_id").asText()).get("camera_id").toString();
            if (previewing.compareAndSet(false, true)) {
                Thread frames = new Thread(() -> {
                    while (previewing.get()) {
                        agent.sendLive("cctv-cameras.preview." + id, jpeg);
                        Browser.sleep(200);
                    }
                });
                frames.setDaemon(true);
                frames.start();
            }
            return Map.of("camera_id", id, "stream", "preview." + id);
        });
        a.on("cctv_preview_stop", p -> {
            commands.add("cctv_preview_stop " + p);
            previewing.set(false);
            return Map.of("camera_id", p.path("camera_id").asText());
        });
        a.on("cctv_snapshot", p -> {
            camera(p.path("camera_id").asText());
            transfer("cctv-cameras.snapshot." + p.path("transfer").asText(), jpeg, 0, jpeg.length);
            return Map.of("camera_id", p.path("camera_id").asText(), "bytes", jpeg.length, "width", 320, "height", 240);
        });
        a.on("cctv_get_recordings", p -> Map.of("recordings", new ArrayList<>(recordings)));
        a.on("cctv_get_recording", p -> recordings.stream().filter(r -> r.get("id").equals(p.path("id").asLong())).findFirst()
                .orElseThrow(() -> new FakeAgent.Failure("There is no recording " + p.path("id").asLong() + ".", "RECORDING_NOT_FOUND")));
        a.on("cctv_recording_read", p -> {
            commands.add("cctv_recording_read " + p);
            long offset = p.path("offset").asLong();
            int length = p.path("length").asInt();
            transfer("cctv-recording.file." + p.path("transfer").asText(), mp4, offset, length);
            return Map.of("id", p.path("id").asLong(), "size", mp4.length, "offset", offset, "length", length);
        });
        a.on("cctv_delete_recording", p -> {
            long id = p.path("id").asLong();
            recordings.removeIf(r -> r.get("id").equals(id));
            return Map.of("id", id, "deleted", true, "bytes", mp4.length);
        });
        a.on("cctv_get_storage_info", p -> Map.of("root", "/var/lib/classtop-agent/recordings", "total_bytes", 500_000_000_000L,
                "free_bytes", 210_000_000_000L, "recordings_bytes", (long) recordings.size() * mp4.length,
                "recordings_count", recordings.size(), "per_camera", recordings.isEmpty() ? List.of()
                        : List.of(Map.of("camera_id", "cam1", "bytes", (long) recordings.size() * mp4.length,
                        "count", recordings.size(), "oldest", "2026-12-03T08:15:00Z", "newest", "2026-12-03T08:15:00Z")),
                "retention", Map.of("max_age_days", 30, "max_total_bytes", 0, "min_free_bytes", 1073741824L),
                "cleanup", Map.of("running", false)));
        a.on("cctv_cleanup_storage", p -> {
            for (int done = 1; done <= 3; done++) {
                event("cctv-storage.cleanup_progress", Map.of("done", done, "total", 3, "freed_bytes", done * 1_048_576L));
                Browser.sleep(700);
            }
            return Map.of("deleted", 3, "freed_bytes", 3 * 1_048_576L, "reasons", Map.of("age", 3, "size", 0, "free_space", 0));
        });
    }

    static String tab(String panel) {
        return "#/clients/" + agent.uuid() + "?tab=" + panel;
    }

    @Test
    @Order(1)
    void anAdminAddsALavfiCameraAndSeesItsLiveThumbnail() {
        browser.go(tab("panel-cctv-cameras-cameras"));
        browser.find("cctv-cameras-panel");
        browser.until("no cameras yet", () -> browser.present("cctv-cameras-panel .empty"));
        browser.click("cctv-cameras-panel form.add-camera .example");
        browser.type("cctv-cameras-panel form.add-camera input[name=camera_id]", "cam1");
        browser.type("cctv-cameras-panel form.add-camera input[name=name]", "Front");
        browser.click("cctv-cameras-panel form.add-camera .add");
        browser.until("the camera's card", () -> browser.present("cctv-cameras-panel section.camera[data-id=cam1]"));
        assertTrue(commands.stream().anyMatch(c -> c.startsWith("cctv_add_camera ")
                && c.contains("lavfi:testsrc=size=320x240:rate=10")), commands::toString);
        browser.until("the live thumbnail shows the 320x240 picture", () -> Long.valueOf(320).equals(browser.js(
                "const img = document.querySelector('cctv-cameras-panel section.camera[data-id=cam1] img.live');"
                        + " return img ? img.naturalWidth : 0;")));

        browser.click("cctv-cameras-panel section.camera[data-id=cam1] .record");
        browser.until("recording shown", () -> browser.present("cctv-cameras-panel section.camera[data-id=cam1] .badge.recording"));
        browser.screenshot("cctv-cameras-panel");
        assertEquals(1, commands.stream().filter(c -> c.startsWith("cctv_preview_start ")).count(), commands::toString);
    }

    @Test
    @Order(2)
    void theRecordingPlaysSeeksDownloadsAndIsDeleted() {
        recordings.add(new LinkedHashMap<>(Map.of("id", 1L, "camera_id", "cam1", "start", "2026-12-03T08:15:00Z",
                "end", "2026-12-03T08:15:04Z", "bytes", mp4.length, "path", "cam1/cam1_20261203T081500Z.mp4")));
        event("cctv-recording.segment_finished", Map.of("camera_id", "cam1", "id", 1));
        browser.go(tab("panel-cctv-recording-recordings"));
        browser.until("the recording listed", () -> browser.present("cctv-recordings-panel tr.recording[data-id='1']"));
        browser.click("cctv-recordings-panel tr.recording[data-id='1'] .play");
        browser.until("the video has data", () -> Boolean.TRUE.equals(browser.js(
                "const v = document.querySelector('cctv-recordings-panel video.player'); return !!v && v.readyState >= 2;")));
        browser.js("const v = document.querySelector('cctv-recordings-panel video.player'); v.muted = true; v.play();");
        browser.until("playback advances", () -> ((Number) browser.js(
                "return document.querySelector('cctv-recordings-panel video.player').currentTime;")).doubleValue() > 0.3);
        browser.js("document.querySelector('cctv-recordings-panel video.player').currentTime = 3.0;");
        browser.until("the seek lands", () -> ((Number) browser.js(
                "return document.querySelector('cctv-recordings-panel video.player').currentTime;")).doubleValue() >= 3.0);
        browser.screenshot("cctv-recordings-panel");

        String href = (String) browser.js("return document.querySelector('cctv-recordings-panel tr.recording[data-id=\"1\"] a.download').href;");
        Object whole = browser.jsAsync("fetch(arguments[0]).then(r => r.arrayBuffer().then(b => arguments[1]("
                + "[r.status, r.headers.get('content-disposition'), b.byteLength])));", href);
        assertEquals(List.of(200L, "attachment; filename=\"cam1_2026-12-03T08-15-00Z.mp4\"", (long) mp4.length), whole);
        Object range = browser.jsAsync("fetch(arguments[0], {headers: {Range: 'bytes=100-199'}}).then(r => r.arrayBuffer()"
                + ".then(b => arguments[1]([r.status, r.headers.get('content-range'), b.byteLength])));", href);
        assertEquals(List.of(206L, "bytes 100-199/" + mp4.length, 100L), range);

        browser.js("window.confirm = () => true;");
        browser.click("cctv-recordings-panel tr.recording[data-id='1'] .delete");
        browser.until("the recording gone", () -> browser.present("cctv-recordings-panel .empty"));
        assertTrue(recordings.isEmpty());
    }

    @Test
    @Order(3)
    void aCleanupShowsItsProgress() {
        browser.go(tab("panel-cctv-storage-storage"));
        browser.until("the gauge", () -> browser.present("cctv-storage-panel .gauge"));
        browser.click("cctv-storage-panel .cleanup");
        browser.until("progress from the events", () -> browser.present("cctv-storage-panel progress.cleanup-progress"));
        browser.screenshot("cctv-storage-panel");
        browser.until("the result", () -> browser.text("cctv-storage-panel .notice").startsWith("Cleanup finished: 3 recordings deleted"));
    }

    @Test
    @Order(4)
    void theCamerasPageListsTheCameraWithAThumbnail() {
        browser.go("#/page/cctv-cameras/cameras-page");
        browser.until("the camera's card", () -> browser.present("cctv-cameras-page .card.camera[data-id=cam1]"));
        browser.until("its snapshot thumbnail", () -> Long.valueOf(320).equals(browser.js(
                "const img = document.querySelector('cctv-cameras-page .card.camera[data-id=cam1] img.thumb');"
                        + " return img ? img.naturalWidth : 0;")));
        assertEquals("recording", browser.text("cctv-cameras-page .card.camera[data-id=cam1] .recording"));
        browser.screenshot("cctv-cameras-page");
        JsonNode all = server.api().get("/api/cctv/cameras").data();
        assertEquals("cam1", all.path(0).path("cameras").path(0).path("camera_id").asText(), all.toString());
    }
}
