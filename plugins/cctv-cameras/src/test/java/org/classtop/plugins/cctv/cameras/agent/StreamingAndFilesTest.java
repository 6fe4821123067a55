package org.classtop.plugins.cctv.cameras.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming to a local MPEG-TS listener ({@code tcp://127.0.0.1:port}: no RTMP server here; the same
 * FFmpegFrameRecorder path with format flv/rtsp serves rtmp:// and rtsp://), and a generated video file as camera.
 */
class StreamingAndFilesTest {
    @TempDir
    Path dir;
    CamerasRig rig;

    @BeforeEach
    void start() throws Exception {
        rig = new CamerasRig(dir.resolve("agent"), Map.of("CCTV_CAMERAS_RECONNECT_MIN", "100ms", "CCTV_CAMERAS_RECONNECT_MAX", "400ms"));
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    @Test
    void aCameraStreamsToATcpListenerAndStops() throws Exception {
        rig.ok("cctv_add_camera", Map.of("camera_id", "live", "source", "lavfi:testsrc=size=320x240:rate=25"));
        rig.awaitConnected("live");
        Path received = dir.resolve("received.ts");
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread reader = new Thread(() -> {
                try (Socket socket = listener.accept(); InputStream in = socket.getInputStream();
                     OutputStream out = Files.newOutputStream(received)) {
                    in.transferTo(out);
                } catch (Exception e) {
                    // the test checks the file
                }
            });
            reader.start();
            String url = "tcp://127.0.0.1:" + listener.getLocalPort();
            JsonNode view = rig.ok("cctv_start_streaming", Map.of("camera_id", "live", "url", url));
            assertTrue(view.path("streaming").asBoolean(), view.toString());
            assertEquals(url, view.path("streaming_url").asText());
            Poll.until("150 KB streamed", CamerasRig.WAIT, () -> Files.exists(received) && size(received) > 150_000);
            JsonNode stopped = rig.ok("cctv_stop_streaming", Map.of("camera_id", "live"));
            assertFalse(stopped.path("streaming").asBoolean());
            assertTrue(stopped.path("streaming_url").isNull());
            reader.join(10_000);
        }
        int frames = 0;
        try (FFmpegFrameGrabber check = new FFmpegFrameGrabber(received.toFile())) {
            check.start();
            assertEquals(320, check.getImageWidth());
            String codec = check.getVideoCodecName();
            assertTrue(codec.equals("h264") || codec.equals("mpeg4"), codec);
            while (check.grabImage() != null) {
                frames++;
            }
        }
        assertTrue(frames >= 10, "decodable frames in the stream: " + frames);
    }

    @Test
    void aStreamThatCannotConnectIsReportedAndEnds() throws Exception {
        rig.ok("cctv_add_camera", Map.of("camera_id", "live", "source", "lavfi:testsrc=size=160x120:rate=10"));
        rig.awaitConnected("live");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        rig.ok("cctv_start_streaming", Map.of("camera_id", "live", "url", "tcp://127.0.0.1:" + closedPort));
        Poll.until("streaming failed", CamerasRig.WAIT, () -> !rig.state("live").path("streaming").asBoolean());
        JsonNode state = rig.state("live");
        assertTrue(state.path("streaming_error").asText().startsWith("FFmpeg could not stream to the URL"), state.toString());
        Poll.until("streaming_failed event", CamerasRig.WAIT,
                () -> rig.events().stream().anyMatch(e -> e.startsWith("cctv-cameras.streaming_failed")));
    }

    @Test
    void aVideoFileCameraLoops() throws Exception {
        Path video = dir.resolve("clip.mp4");
        int written = 0;
        try (FFmpegFrameGrabber source = new FFmpegFrameGrabber("testsrc=size=160x120:rate=20:duration=1")) {
            source.setFormat("lavfi");
            source.start();
            try (FFmpegFrameRecorder out = new FFmpegFrameRecorder(video.toFile(), 160, 120, 0)) {
                out.setFormat("mp4");
                out.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                out.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                out.setFrameRate(20);
                out.start();
                Frame frame;
                while ((frame = source.grabImage()) != null) {
                    out.record(frame);
                    written++;
                }
            }
        }
        assertEquals(20, written);
        int frames = written;
        rig.ok("cctv_add_camera", Map.of("camera_id", "clip", "source", video.toString()));
        rig.awaitConnected("clip");
        Poll.until("the clip played three times", CamerasRig.WAIT, () -> rig.state("clip").path("frames").asLong() > 3L * frames);
        JsonNode state = rig.state("clip");
        assertTrue(state.path("opens").asLong() >= 3, state.toString());
        assertTrue(state.path("connected").asBoolean());
        assertTrue(state.path("last_error").isNull(), "the end of a file is no failure: " + state);
    }

    @Test
    void aCameraDownAtItsFirstAttemptConnectsOnceItComesUp() throws Exception {
        java.io.ByteArrayOutputStream clip = new java.io.ByteArrayOutputStream();
        try (FFmpegFrameGrabber source = new FFmpegFrameGrabber("testsrc=size=160x120:rate=25:duration=2")) {
            source.setFormat("lavfi");
            source.start();
            try (FFmpegFrameRecorder out = new FFmpegFrameRecorder(clip, 160, 120, 0)) {
                out.setFormat("mpegts");
                out.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                out.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                out.setFrameRate(25);
                out.start();
                Frame frame;
                while ((frame = source.grabImage()) != null) {
                    out.record(frame);
                }
            }
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // nothing listens there until the camera "comes up"
        }
        rig.ok("cctv_add_camera", Map.of("camera_id", "net", "source", "tcp://127.0.0.1:" + port));
        Poll.until("two failed attempts", CamerasRig.WAIT, () -> rig.state("net").path("opens").asLong() >= 2);
        JsonNode down = rig.state("net");
        assertFalse(down.path("connected").asBoolean());
        assertTrue(down.path("last_error").asText().startsWith("FFmpeg could not open the source"), down.toString());
        assertFalse(down.path("last_error").asText().contains("setFormat"), "no hints for programmers: " + down);

        try (ServerSocket camera = new ServerSocket(port, 8, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> {
                while (!camera.isClosed()) {
                    try (Socket client = camera.accept(); OutputStream out = client.getOutputStream()) {
                        out.write(clip.toByteArray());
                    } catch (Exception e) {
                        // closed by the test, or the camera hung up
                    }
                }
            });
            serving.setDaemon(true);
            serving.start();
            Poll.until("the camera connected after failing", CamerasRig.WAIT, () -> rig.state("net").path("frames").asLong() > 10);
            Poll.until("camera_connected event", CamerasRig.WAIT,
                    () -> rig.events().stream().anyMatch(e -> e.startsWith("cctv-cameras.camera_connected") && e.contains("\"net\"")));
            assertTrue(rig.events().stream().anyMatch(e -> e.startsWith("cctv-cameras.camera_failed") && e.contains("\"net\"")));
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (Exception e) {
            return 0;
        }
    }
}
