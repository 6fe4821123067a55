package org.classtop.plugins.videosources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.classtop.api.video.VideoFrame;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** FFmpeg sources on the real server: a lavfi test pattern and a small generated video file (played in a loop). */
class FfmpegSourcesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Path work;
    private static TestServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("video-ffmpeg-");
        server = TestServer.builder()
                .pluginConfig("video-sources.RECONNECT_MIN", "50ms")
                .pluginConfig("video-sources.RECONNECT_MAX", "200ms")
                .plugin("video-sources", new VideoSourcesServerPlugin())
                .plugin("video-probe", List.of("video-sources"), new VideoProbe())
                .start();
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aLavfiGraphIsEncodedToJpegOncePerFrameAndPacedInRealTime() throws Exception {
        ApiResult added = api.post("/api/video/sources", Map.of("id", "pattern", "url", "lavfi:testsrc=size=320x240:rate=10"));
        assertEquals(201, added.status(), added.toString());
        Poll.until("the first encoded frame", WAIT, () -> api.get("/api/video/pattern/latest-frame").status() == 200);
        byte[] jpeg = api.get("/api/video/pattern/latest-frame").body();
        assertEquals(0xFF, jpeg[0] & 0xFF);
        assertEquals(0xD8, jpeg[1] & 0xFF);
        assertEquals(0xD9, jpeg[jpeg.length - 1] & 0xFF, "a whole JPEG");
        java.awt.image.BufferedImage picture = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(jpeg));
        assertEquals(320, picture.getWidth());
        assertEquals(240, picture.getHeight());
        javax.imageio.ImageIO.write(picture, "png", Path.of("target", "lavfi-frame.png").toFile()); // to look at

        AtomicLong first = new AtomicLong();
        AtomicLong second = new AtomicLong();
        java.util.Set<VideoFrame> shared = java.util.concurrent.ConcurrentHashMap.newKeySet();
        VideoProbe.service.subscribe("pattern", "a", frame -> { first.incrementAndGet(); shared.add(frame); });
        VideoProbe.service.subscribe("pattern", "b", frame -> { second.incrementAndGet(); shared.add(frame); });
        Poll.until("both subscribers get frames", WAIT, () -> first.get() > 5 && second.get() > 5);
        assertTrue(shared.size() < first.get() + second.get(), "the subscribers share frame objects: encoded once");
        JsonNode status = api.get("/api/video/pattern/status").data();
        assertTrue(status.path("connected").asBoolean(), status.toString());
        assertEquals("lavfi", status.path("format").asText());
        Poll.until("paced near its 10 fps, not as fast as FFmpeg can", WAIT, () -> {
            double fps = api.get("/api/video/pattern/status").data().path("fps").asDouble();
            return fps > 5 && fps < 15;
        });
        api.delete("/api/video/sources/pattern");
    }

    @Test
    void aVideoFilePlaysAndIsReopenedAtItsEnd() throws Exception {
        Path clip = work.resolve("clip.mp4");
        try (FFmpegFrameGrabber pattern = new FFmpegFrameGrabber("testsrc=size=320x240:rate=20")) {
            pattern.setFormat("lavfi");
            pattern.start();
            try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(clip.toString(), 320, 240, 0)) {
                recorder.setFormat("mp4");
                recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                recorder.setFrameRate(20);
                recorder.start();
                for (int i = 0; i < 10; i++) { // half a second
                    Frame frame = pattern.grabImage();
                    recorder.record(frame);
                }
            }
        }
        ApiResult added = api.post("/api/video/sources", Map.of("id", "clip", "url", clip.toString()));
        assertEquals(201, added.status(), added.toString());
        Poll.until("frames beyond the clip's 10: it was reopened at its end", WAIT,
                () -> api.get("/api/video/clip/status").data().path("frames").asLong() > 25);
        assertTrue(api.get("/api/video/clip/status").data().path("last_error").asText().contains("ended"));
        api.delete("/api/video/sources/clip");
    }

    @Test
    void anUnreachableFfmpegUrlReportsItsError() {
        ApiResult added = api.post("/api/video/sources", Map.of("id", "nowhere", "url", "rtsp://127.0.0.1:9/stream"));
        assertEquals(201, added.status(), added.toString());
        Poll.until("the failure is reported", WAIT,
                () -> api.get("/api/video/nowhere/status").data().path("last_error").asText().contains("FFmpeg"));
        assertEquals(503, api.get("/api/video/nowhere/latest-frame").status());
        api.delete("/api/video/sources/nowhere");
    }
}
