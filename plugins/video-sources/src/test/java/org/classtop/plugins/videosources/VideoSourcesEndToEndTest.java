package org.classtop.plugins.videosources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.classtop.api.video.VideoSubscription;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plugin on the real server (in-process), against fake single-client TCP cameras on loopback: every
 * kind of subscriber five times over one upstream connection, a subscriber that stops reading, a camera
 * restart, a camera down at start, delete while streaming, garbage and an absurd length prefix.
 */
class VideoSourcesEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static TestServer server;
    private static ApiClient api;
    private final List<AutoCloseable> opened = new ArrayList<>();

    private static final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> LOG =
            new ch.qos.logback.core.read.ListAppender<>();

    @BeforeAll
    static void start() {
        LOG.start();
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Source.class)).addAppender(LOG);
        server = TestServer.builder()
                .pluginConfig("video-sources.STALL_TIMEOUT", "1")
                .pluginConfig("video-sources.RECONNECT_MIN", "50ms")
                .pluginConfig("video-sources.RECONNECT_MAX", "300ms")
                .pluginConfig("video-sources.CONNECT_TIMEOUT", "1")
                .pluginConfig("video-sources.MAX_FRAME_BYTES", "1048576")
                .plugin("video-sources", new VideoSourcesServerPlugin())
                .plugin("video-probe", List.of("video-sources"), new VideoProbe())
                .start();
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        for (JsonNode source : api.get("/api/video/sources").data()) {
            api.delete("/api/video/sources/" + source.path("id").asText());
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    private FakeCamera camera(FakeCamera.Mode mode, int fps) throws Exception {
        return track(new FakeCamera(mode, fps).start());
    }

    private static ApiResult add(String id, String url, String format) {
        return api.post("/api/video/sources", format == null ? Map.of("id", id, "url", url) : Map.of("id", id, "url", url, "format", format));
    }

    private static JsonNode status(String id) {
        return api.get("/api/video/" + id + "/status").data();
    }

    private String wsBase() {
        return server.baseUrl().replaceFirst("^http", "ws");
    }

    @Test
    void fiveSubscribersOfEachKindShareOneCameraConnection() throws Exception {
        FakeCamera camera = camera(FakeCamera.Mode.LENGTH_PREFIXED, 30);
        assertEquals(201, add("hall", camera.url(), "jpeg-length-prefixed").status());
        Poll.until("the first frame", WAIT, () -> api.get("/api/video/hall/latest-frame").status() == 200);

        List<Viewers.Mjpeg> mjpeg = new ArrayList<>();
        List<Viewers.Socket> sockets = new ArrayList<>();
        List<AtomicLong> inProcess = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mjpeg.add(track(new Viewers.Mjpeg(server.baseUrl(), server.adminToken(), "/api/video/hall/mjpeg")));
            sockets.add(track(new Viewers.Socket(wsBase(), server.adminToken(), "/api/video/hall/ws")));
            AtomicLong received = new AtomicLong();
            inProcess.add(received);
            track(VideoProbe.service.subscribe("hall", "probe-" + i, frame -> received.incrementAndGet()));
        }
        Poll.until("every subscriber gets frames", WAIT, () ->
                mjpeg.stream().allMatch(v -> v.frames.get() >= 20) && sockets.stream().allMatch(v -> v.frames.get() >= 20)
                        && inProcess.stream().allMatch(n -> n.get() >= 20));

        assertEquals(1, camera.connections(), "exactly one upstream connection for 15 subscribers");
        assertEquals(0, camera.refused(), "nobody else tried the camera");
        assertTrue(mjpeg.get(0).contentType.startsWith("multipart/x-mixed-replace"), mjpeg.get(0).contentType);
        assertTrue(sockets.get(0).firstText.contains("\"source_id\":\"hall\""), sockets.get(0).firstText);

        JsonNode status = status("hall");
        assertTrue(status.path("connected").asBoolean(), status.toString());
        assertEquals(15, status.path("subscribers").asInt(), status.toString());
        assertTrue(status.path("frames").asLong() >= 20, status.toString());
        List<String> kinds = new ArrayList<>();
        status.path("subscriber_list").forEach(s -> kinds.add(s.path("kind").asText()));
        assertEquals(5, kinds.stream().filter("mjpeg"::equals).count(), kinds.toString());
        assertEquals(5, kinds.stream().filter("websocket"::equals).count(), kinds.toString());
        assertEquals(5, kinds.stream().filter("in-process"::equals).count(), kinds.toString());
        Poll.until("fps is measured", WAIT, () -> status("hall").path("fps").asDouble() > 5);

        ApiResult frame = api.get("/api/video/hall/latest-frame");
        assertEquals("image/jpeg", frame.header("Content-Type"));
        assertEquals(0xFF, frame.body()[0] & 0xFF);
        assertEquals(0xD8, frame.body()[1] & 0xFF);
        assertTrue(FakeCamera.numberOf(frame.body()) > 0, "the camera's own bytes, passed through");

        ApiResult where = api.post("/api/video/hall/subscribe", Map.of());
        assertEquals(200, where.status(), where.toString());
        assertEquals("/api/video/hall/mjpeg", where.data().path("mjpeg_url").asText());
        assertEquals("/api/video/hall/ws", where.data().path("websocket_url").asText());
        assertTrue(VideoProbe.EVENTS.stream().anyMatch(e -> e.name().equals("video-sources.connected")
                && "hall".equals(e.data().get("source_id"))), VideoProbe.EVENTS.toString());
    }

    @Test
    void aSubscriberThatStopsReadingSkipsFramesWithoutSlowingTheOthers() throws Exception {
        FakeCamera camera = track(new FakeCamera(FakeCamera.Mode.MJPEG, 30, 320, 240, 200_000).start()); // 6 MB/s
        assertEquals(201, add("lab", camera.url(), "mjpeg").status());
        Poll.until("the first frame", WAIT, () -> api.get("/api/video/lab/latest-frame").status() == 200);

        CountDownLatch release = new CountDownLatch(1);
        VideoSubscription stuck = track(VideoProbe.service.subscribe("lab", "stuck", frame -> release.await(30, TimeUnit.SECONDS)));
        // A browser tab that stopped drawing (never acknowledging, from its first frame on).
        Viewers.Socket lazy = track(new Viewers.Socket(wsBase(), server.adminToken(), "/api/video/lab/ws", false));
        AtomicLong fast = new AtomicLong();
        VideoSubscription keepsUp = track(VideoProbe.service.subscribe("lab", "fast", frame -> fast.incrementAndGet()));
        Viewers.Mjpeg viewer = track(new Viewers.Mjpeg(server.baseUrl(), server.adminToken(), "/api/video/lab/mjpeg"));
        java.net.Socket frozen = track(new java.net.Socket()); // an MJPEG viewer whose tab froze: never reads
        frozen.setReceiveBufferSize(4096);
        frozen.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
        frozen.getOutputStream().write(("GET /api/video/lab/mjpeg HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + server.adminToken() + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        Poll.until("the stuck subscribers drop frames while the others go on", WAIT, () ->
                stuck.dropped() >= 30 && fast.get() >= 60 && viewer.frames.get() >= 60);
        assertEquals(0, keepsUp.dropped(), "a subscriber that keeps up drops nothing");
        assertEquals(0, stuck.delivered(), "the stuck one is still inside its first frame");
        Poll.until("the lazy socket's and the frozen viewer's drops are counted", WAIT, () -> {
            boolean socketDrops = false;
            boolean mjpegDrops = false;
            for (JsonNode s : status("lab").path("subscriber_list")) {
                socketDrops |= s.path("kind").asText().equals("websocket") && s.path("dropped").asLong() > 10;
                mjpegDrops |= s.path("kind").asText().equals("mjpeg") && s.path("dropped").asLong() > 10;
            }
            return socketDrops && mjpegDrops;
        });
        long reading = viewer.frames.get();
        Poll.until("the reading MJPEG viewer still gets every frame", WAIT, () -> viewer.frames.get() > reading + 30);
        assertEquals(2, lazy.frames.get(), "no more than the window is sent unacknowledged");
        long before = lazy.lastNumber.get();
        lazy.ackNow();
        Poll.until("an acknowledgement brings the newest frame", WAIT, () -> lazy.frames.get() == 3);
        assertTrue(lazy.lastNumber.get() > before + 10, "the newest frame, not the next old one");
        release.countDown();
        Poll.until("the stuck subscriber resumes with the newest frame", WAIT, () -> stuck.delivered() >= 2);
        assertEquals(1, camera.connections());
    }

    @Test
    void aCameraRestartIsFollowedByReconnection() throws Exception {
        FakeCamera camera = camera(FakeCamera.Mode.LENGTH_PREFIXED, 20);
        add("gate", camera.url(), null);
        Poll.until("connected", WAIT, () -> status("gate").path("connected").asBoolean());
        AtomicLong received = new AtomicLong();
        track(VideoProbe.service.subscribe("gate", "counter", frame -> received.incrementAndGet()));

        camera.stop();
        Poll.until("the drop is noticed", WAIT, () -> !status("gate").path("connected").asBoolean());
        JsonNode down = status("gate");
        assertFalse(down.path("last_error").isNull(), down.toString());
        assertTrue(down.path("last_error_at").isTextual(), down.toString());
        Poll.until("disconnected event", WAIT, () -> VideoProbe.EVENTS.stream()
                .anyMatch(e -> e.name().equals("video-sources.disconnected") && "gate".equals(e.data().get("source_id"))));
        assertEquals(200, api.get("/api/video/gate/latest-frame").status(), "the last frame stays readable");

        camera.start(); // same port
        long seen = received.get();
        Poll.until("reconnected and delivering", WAIT, () -> status("gate").path("connected").asBoolean() && received.get() > seen + 5);
        assertEquals(2, camera.connections());
    }

    @Test
    void aCameraDownAtTheStartAnswers503UntilItsFirstFrame() throws Exception {
        FakeCamera camera = track(FakeCamera.downOnFreePort(FakeCamera.Mode.LENGTH_PREFIXED, 20));
        assertEquals(201, add("late", camera.url(), null).status());
        ApiResult none = api.get("/api/video/late/latest-frame");
        assertEquals(503, none.status(), none.toString());
        assertEquals("NO_FRAME_YET", none.code());
        Poll.until("the refused connection is reported", WAIT, () -> status("late").path("last_error").asText().contains("refused"));
        camera.start();
        Poll.until("the first frame after the camera came up", WAIT, () -> api.get("/api/video/late/latest-frame").status() == 200);
        assertEquals(1, camera.connections());
    }

    @Test
    void aStalledCameraIsReopened() throws Exception {
        FakeCamera camera = camera(FakeCamera.Mode.LENGTH_PREFIXED, 20);
        add("stall", camera.url(), null);
        Poll.until("connected", WAIT, () -> status("stall").path("connected").asBoolean());
        camera.mode(FakeCamera.Mode.SILENT);
        Poll.until("the stall is detected", WAIT, () -> status("stall").path("last_error").asText().contains("stalled"));
        camera.mode(FakeCamera.Mode.LENGTH_PREFIXED);
        Poll.until("a new connection delivers", WAIT, () -> camera.connections() >= 2 && status("stall").path("connected").asBoolean());
    }

    @Test
    void deletingWhileStreamingStopsTheProducerForGood() throws Exception {
        FakeCamera camera = camera(FakeCamera.Mode.LENGTH_PREFIXED, 30);
        add("temp", camera.url(), null);
        Poll.until("the first frame", WAIT, () -> api.get("/api/video/temp/latest-frame").status() == 200);
        Viewers.Mjpeg viewer = track(new Viewers.Mjpeg(server.baseUrl(), server.adminToken(), "/api/video/temp/mjpeg"));
        Viewers.Socket socket = track(new Viewers.Socket(wsBase(), server.adminToken(), "/api/video/temp/ws"));
        VideoSubscription subscription = track(VideoProbe.service.subscribe("temp", "gone", frame -> { }));
        Poll.until("streaming", WAIT, () -> viewer.frames.get() > 3 && socket.frames.get() > 3);

        ApiResult deleted = api.delete("/api/video/sources/temp");
        assertEquals(200, deleted.status(), deleted.toString());
        Poll.until("the MJPEG stream ends", WAIT, viewer.ended::get);
        Poll.until("the socket closes", WAIT, socket.closed::get);
        assertFalse(subscription.isOpen());
        Poll.until("the camera connection is closed", WAIT, () -> !camera.hasClient());
        assertEquals(404, api.get("/api/video/temp/latest-frame").status());
        assertEquals(404, api.get("/api/video/temp/status").status());
        assertEquals(404, api.delete("/api/video/sources/temp").status());
        Poll.until("the source's reading thread has ended", WAIT, () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("video-sources-temp") && t.isAlive()));
        assertEquals(1, camera.connections(), "no reconnection after delete");
    }

    @Test
    void garbageAndAnAbsurdLengthCloseAndReconnectThatSourceOnly() throws Exception {
        LOG.list.clear();
        FakeCamera good = camera(FakeCamera.Mode.LENGTH_PREFIXED, 20);
        FakeCamera garbage = camera(FakeCamera.Mode.GARBAGE, 50);
        FakeCamera huge = camera(FakeCamera.Mode.HUGE_LENGTH, 20);
        FakeCamera garbageMjpeg = camera(FakeCamera.Mode.GARBAGE, 200);
        add("good", good.url(), null);
        add("junk", garbage.url(), null);
        add("huge", huge.url(), null);
        add("junk-mjpeg", garbageMjpeg.url(), "mjpeg");
        AtomicLong goodFrames = new AtomicLong();
        Poll.until("the good source connects", WAIT, () -> status("good").path("connected").asBoolean());
        track(VideoProbe.service.subscribe("good", "counter", frame -> goodFrames.incrementAndGet()));

        Poll.until("the garbage is refused", WAIT, () -> status("junk").path("last_error").asText().contains("not jpeg-length-prefixed"));
        Poll.until("the 2 GB length is refused", WAIT, () -> status("huge").path("last_error").asText().contains("2147483647"));
        Poll.until("reconnected several times", WAIT, () -> huge.connections() >= 3 && garbage.connections() >= 3);
        long warnings = LOG.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                && e.getFormattedMessage().contains("Source 'huge'")).count();
        assertEquals(1, warnings, "one warning per failing episode, not one per attempt: " + LOG.list);
        assertEquals(503, api.get("/api/video/huge/latest-frame").status());
        assertFalse(status("huge").path("connected").asBoolean());
        Poll.until("mjpeg garbage is refused after at most MAX_FRAME_BYTES", WAIT,
                () -> status("junk-mjpeg").path("last_error").asText().contains("without a JPEG start marker"));
        long before = goodFrames.get();
        Poll.until("the good source is untouched", WAIT, () -> goodFrames.get() > before + 10);
        assertEquals(1, good.connections());
    }

    @Test
    void badInputGetsAStatusAndASentence() throws Exception {
        FakeCamera camera = camera(FakeCamera.Mode.LENGTH_PREFIXED, 10);
        assertEquals(201, add("one", camera.url(), null).status());
        ApiResult duplicate = add("one", camera.url(), null);
        assertEquals(409, duplicate.status());
        assertEquals("SOURCE_EXISTS", duplicate.code());

        assertField(add("bad id!", camera.url(), null), "'id'");
        assertField(api.post("/api/video/sources", Map.of("id", "x")), "'url'");
        assertField(add("x", "tcp://127.0.0.1", null), "'url'");
        assertField(add("x", "tcp://127.0.0.1:70000", null), "'url'");
        assertField(add("x", camera.url(), "h264"), "'format'");
        assertField(add("x", "gopher://example.invalid/", null), "'url'");
        assertField(add("x", "relative/file.mp4", null), "'url'");
        assertField(add("x", "/no/such/file.mp4", null), "'url'");
        assertField(add("x", "lavfi:", null), "'url'");
        // the check shared with cctv-cameras: one test source with plain options; named formats that read no further files
        assertField(add("x", "lavfi:movie=/etc/passwd", null), "'url'");
        assertField(add("x", "lavfi:life=f=/etc/passwd", null), "'url'");
        assertField(add("x", "lavfi:testsrc[a];[a]split", null), "'url'");
        assertField(add("x", "rtsp://cam.example/stream", "concat"), "'format'");
        assertField(add("x", "rtsp://cam.example/stream", "lavfi"), "'format'");
        assertField(add("x", "rtsp://cam.example/stream", "jpeg-length-prefixed"), "'format'");
        assertField(api.post("/api/video/sources", Map.of("id", 7, "url", camera.url())), "'id'");

        for (String path : List.of("/api/video/nope/latest-frame", "/api/video/nope/status", "/api/video/nope/mjpeg")) {
            ApiResult missing = api.get(path);
            assertEquals(404, missing.status(), path);
            assertEquals("SOURCE_NOT_FOUND", missing.code(), path);
            assertTrue(missing.error().contains("'nope'"), missing.error());
        }
        assertEquals(404, api.post("/api/video/nope/subscribe", Map.of()).status());
        assertEquals(404, api.delete("/api/video/sources/nope").status());
        Viewers.Socket unknown = track(new Viewers.Socket(wsBase(), server.adminToken(), "/api/video/nope/ws"));
        Poll.until("an unknown source's socket is told and closed", WAIT, () -> unknown.closed.get());
        assertTrue(unknown.firstText.contains("SOURCE_NOT_FOUND"), unknown.firstText);
    }

    private static void assertField(ApiResult result, String field) {
        assertEquals(400, result.status(), result.toString());
        assertTrue(result.error().contains(field), result.error());
        assertFalse(result.text().contains("Exception"), result.text());
    }

    @Test
    void theSeedPathsAddressTheFirstSource() throws Exception {
        ApiResult none = api.get("/internal/video/status");
        assertEquals(404, none.status());
        assertEquals("NO_SOURCE", none.code());
        FakeCamera first = camera(FakeCamera.Mode.LENGTH_PREFIXED, 20);
        FakeCamera second = camera(FakeCamera.Mode.MJPEG, 20);
        add("first", first.url(), null);
        add("second", second.url(), "mjpeg");
        Poll.until("a frame", WAIT, () -> api.get("/internal/video/latest-frame").status() == 200);
        assertEquals("first", api.get("/internal/video/status").data().path("id").asText());
        assertEquals("/api/video/first/mjpeg", api.post("/internal/video/subscribe", Map.of()).data().path("mjpeg_url").asText());
    }

    @Test
    void sourcesSurviveARestart() throws Exception {
        FakeCamera camera = camera(FakeCamera.Mode.LENGTH_PREFIXED, 20);
        add("kept", camera.url(), null);
        Poll.until("connected", WAIT, () -> status("kept").path("connected").asBoolean());
        server.restart();
        api = server.api();
        Poll.until("connected again after the restart", WAIT, () -> api.get("/api/video/kept/status").status() == 200
                && status("kept").path("connected").asBoolean());
        assertEquals(camera.url(), status("kept").path("url").asText());
        Poll.until("the old connection was released", WAIT, () -> camera.connections() == 2);
    }
}
