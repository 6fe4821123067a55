package org.classtop.plugins.videosources.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Test;

/** The grabber opener, pacer, source check and redaction shared by video-sources and cctv-cameras. */
class SharedFfmpegTest {
    @Test
    void rtmpGetsNoListeningTimeoutOnlyAClientReadTimeout() {
        Duration stall = Duration.ofSeconds(10);
        assertEquals("{rw_timeout=10000000}", Grabbers.timeouts("rtmp://127.0.0.1/live/x", stall).toString());
        assertEquals("{rw_timeout=10000000}", Grabbers.timeouts("RTMPS://host/live/x", stall).toString());
        assertEquals("{rw_timeout=10000000, timeout=10000000}", Grabbers.timeouts("rtsp://host/x", stall).toString());
        assertEquals("{rw_timeout=10000000, timeout=10000000}", Grabbers.timeouts("http://host/x", stall).toString());
        assertEquals("{}", Grabbers.timeouts("file:///tmp/a.mp4", stall).toString());
        assertEquals("{}", Grabbers.timeouts("/dev/video0", stall).toString());
        assertEquals("{}", Grabbers.timeouts("testsrc=size=320x240", stall).toString());
    }

    /** With timeout set, FFmpeg's rtmp would LISTEN on the port for days instead of connecting to it. */
    @Test
    void anRtmpSourceOnAClosedPortIsRefusedPromptly() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<?> open = executor.submit(() -> {
                Grabbers.open(new Grabbers.Input("rtmp://127.0.0.1:" + port + "/live/cam", null,
                        avutil.AV_PIX_FMT_YUV420P, 0, 0, 0), Duration.ofSeconds(10), Grabbers.DEFAULT_MAX_PIXELS);
                return null;
            });
            ExecutionException failure = assertThrows(ExecutionException.class, () -> open.get(20, TimeUnit.SECONDS),
                    "refused at once, not listening on the port");
            assertTrue(failure.getCause() instanceof IOException, failure.toString());
            String sentence = failure.getCause().getMessage();
            assertTrue(sentence.startsWith("FFmpeg could not open the source: "), sentence);
            assertTrue(sentence.contains("Connection refused"), sentence);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aPictureLargerThanTheMaximumIsRefusedWithASentence() throws Exception {
        Grabbers.Input input = new Grabbers.Input("testsrc=size=320x240:rate=5", "lavfi", avutil.AV_PIX_FMT_YUV420P, 0, 0, 0);
        IOException refused = assertThrows(IOException.class, () -> Grabbers.open(input, Duration.ofSeconds(5), 320 * 239));
        assertEquals("The source's pictures are 320x240, more than the 76480 pixels allowed (MAX_PIXELS): lower its resolution.",
                refused.getMessage());
        Grabbers.close(Grabbers.open(input, Duration.ofSeconds(5), 320 * 240));
    }

    @Test
    void passwordsAreRedactedFromUrlsAndFfmpegsSentences() {
        assertEquals("rtsp://***@10.0.0.5:554/stream", Grabbers.redact("rtsp://admin:s3cret@10.0.0.5:554/stream"));
        assertEquals("Could not open input \"rtsp://***@cam/x\": Connection refused.",
                Grabbers.redact("Could not open input \"rtsp://admin:p@ss@cam/x\": Connection refused."));
        assertEquals("lavfi:testsrc", Grabbers.redact("lavfi:testsrc"));
        assertEquals("rtmp://host/live/key", Grabbers.redact("rtmp://host/live/key"));
        assertNull(Grabbers.redact(null));
        assertEquals("avformat_open_input() error -22: Could not open input \"testsrc=size=bad\": Invalid argument.",
                Grabbers.reason(new IOException("avformat_open_input() error -22: Could not open input \"testsrc=size=bad\". "
                        + "(Has setFormat() been called?)")));
        assertFalse(Grabbers.reason(new IOException("avformat_open_input() error -111: Could not open input "
                + "\"rtsp://u:hunter2@127.0.0.1:9/x\". (Has setFormat() been called?)")).contains("hunter2"));
    }

    @Test
    void thePacerKeepsItsClockAcrossTheLoopsOfAFile() {
        Pacer pacer = new Pacer();
        long ms = 1_000_000;
        assertEquals(0, pacer.waitNanos(0, 0), "the first frame is due at once");
        assertEquals(100 * ms, pacer.waitNanos(100_000, 0), "the next one 100 ms later (timestamps in µs)");
        // a one-frame file: each loop gives timestamp 0 again; the next loop's frame is due one interval later
        Pacer still = new Pacer();
        assertEquals(0, still.waitNanos(0, 0));
        still.restart(10);
        assertEquals(100 * ms, still.waitNanos(0, 0));
        still.restart(10);
        assertEquals(150 * ms, still.waitNanos(0, 50 * ms));
        // a looping file whose timestamps start again: after its last frame (at 200 ms), one interval (100 ms)
        Pacer loop = new Pacer();
        loop.waitNanos(0, 0);
        loop.waitNanos(100_000, 100 * ms);
        loop.waitNanos(200_000, 200 * ms);
        assertEquals(100 * ms, loop.waitNanos(0, 200 * ms));
    }

    @Test
    void theSourceCheckRefusesGraphsAndFormatsThatReachFiles() {
        assertNull(SourceCheck.lavfi("testsrc=size=640x480:rate=25"));
        assertNull(SourceCheck.lavfi("smptebars"));
        for (String graph : new String[]{"life=f=/etc/passwd", "cellauto=filename=/etc/passwd", "nullsrc", "movie=/etc/passwd",
                "testsrc[a];testsrc[b];[a][b]psnr=stats_file=/tmp/x", "color=c=red:f=/etc/passwd", ""}) {
            assertTrue(SourceCheck.lavfi(graph) != null, graph);
        }
        assertEquals("A lavfi: source is one test source (allrgb, allyuv, color, colorchart, colorspectrum, gradients, "
                + "haldclutsrc, mandelbrot, pal100bars, pal75bars, rgbtestsrc, smptebars, smptehdbars, testsrc, testsrc2, "
                + "yuvtestsrc, zoneplate) with plain options, e.g. lavfi:testsrc=size=640x480:rate=25.", SourceCheck.lavfi("life"));
        assertNull(SourceCheck.format(null));
        assertNull(SourceCheck.format("mjpeg"));
        assertTrue(SourceCheck.format("concat") != null);
        assertTrue(SourceCheck.format("image2") != null);
        assertNull(SourceCheck.scheme("RTSP"));
        assertEquals("The scheme 'ftp' is not supported: use file, http, https, rtmp, rtmps, rtp, rtsp, rtsps, srt, tcp, udp, "
                + "a device, a video file path or lavfi:<graph>.", SourceCheck.scheme("ftp"));
    }
}
