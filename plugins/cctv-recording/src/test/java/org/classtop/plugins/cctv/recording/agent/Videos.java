package org.classtop.plugins.cctv.recording.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/** Reads a video back: every frame decoded by FFmpeg (javacv), and ffprobe's view of it when the CLI is installed. */
final class Videos {
    private Videos() {
    }

    /** @param frames decoded frames; @param seconds the last frame's time; @param codec FFmpeg's codec name */
    record Decoded(int frames, double seconds, int width, int height, String codec) {
    }

    static Decoded decode(Path file) throws Exception {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.start();
            int frames = 0;
            long first = -1;
            long last = 0;
            Frame frame;
            while ((frame = grabber.grabImage()) != null) {
                frames++;
                if (first < 0) {
                    first = frame.timestamp;
                }
                last = frame.timestamp;
            }
            return new Decoded(frames, (last - Math.max(first, 0)) / 1e6, grabber.getImageWidth(), grabber.getImageHeight(),
                    grabber.getVideoCodecName());
        }
    }

    /** ffprobe's count of the video frames it decodes, or -1 when ffprobe is not installed. */
    static int ffprobeFrames(Path file) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                    "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return -1;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ffprobe failed on " + file + ": " + out);
        }
        return Integer.parseInt(out.lines().reduce((a, b) -> b).orElse("-1").replace(",", "").trim());
    }

    static void copyHead(Path from, Path to, double fraction) throws IOException {
        byte[] bytes = Files.readAllBytes(from);
        Files.write(to, java.util.Arrays.copyOf(bytes, (int) (bytes.length * fraction)));
    }

    /** A segment as the recorder writes it (fragmented MP4), {@code frames} frames of a 10 fps test pattern, made at once. */
    static void make(Path file, int frames) throws Exception {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(LavfiCameraFeeds.GRAPH)) {
            grabber.setFormat("lavfi");
            grabber.start();
            SegmentWriter writer = SegmentWriter.open(file, 320, 240, 10);
            for (int i = 0; i < frames; i++) {
                writer.write(grabber.grabImage(), i * 100_000L, avutil.AV_PIX_FMT_NONE);
            }
            writer.close();
        }
    }
}
