package org.classtop.plugins.cctv.recording.agent;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * One segment being encoded: fragmented MP4 (a fragment per key frame, one a second, {@code empty_moov}, flushed as
 * written), so whatever reached the disk before a crash can still be read and repaired. Used by one thread.
 */
final class SegmentWriter {
    private final FFmpegFrameRecorder recorder;
    private final int width;
    private final int height;
    private final int rate;
    private long frames;
    private long lastNumber = -1;

    private SegmentWriter(FFmpegFrameRecorder recorder, int width, int height, int rate) {
        this.recorder = recorder;
        this.width = width;
        this.height = height;
        this.rate = rate;
    }

    /** @param fps the camera's frame rate (the time base; real capture times set each frame's time) */
    static SegmentWriter open(Path file, int width, int height, double fps) throws IOException {
        VideoFiles.Encoder encoder = VideoFiles.encoder();
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
        int rate = (int) Math.max(1, Math.min(60, Math.ceil(fps > 0 ? fps : 30)));
        recorder.setFormat("mp4");
        recorder.setVideoCodec(encoder.codecId());
        if (!encoder.codecName().equals("mpeg4")) {
            recorder.setVideoCodecName(encoder.codecName());
        }
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(rate);
        recorder.setGopSize(rate); // a key frame, and so a fragment, every second: a crash loses about a second
        recorder.setVideoBitrate(Math.max(200_000, Math.min(8_000_000, width * height * 3)));
        recorder.setOption("movflags", "frag_keyframe+empty_moov+default_base_moof");
        recorder.setOption("flush_packets", "1"); // each finished fragment reaches the file, not only FFmpeg's buffer
        try {
            recorder.start();
        } catch (FFmpegFrameRecorder.Exception | RuntimeException e) {
            release(recorder);
            throw new IOException("FFmpeg could not open the segment " + file.getFileName() + ": " + e.getMessage(), e);
        }
        return new SegmentWriter(recorder, width, height, rate);
    }

    boolean fits(Frame frame) {
        return frame.imageWidth == width && frame.imageHeight == height;
    }

    /**
     * Encodes a frame at its capture time, in steps of the segment's frame rate: a frame that comes sooner than one
     * step after the previous one is skipped (answer false), so the video never runs ahead of real time.
     *
     * @param micros the frame's time since the segment began
     * @param pixelFormat the frame's FFmpeg pixel format, or {@code AV_PIX_FMT_NONE} to let javacv guess (BGR24, GRAY8)
     */
    boolean write(Frame frame, long micros, int pixelFormat) throws IOException {
        long number = Math.round(micros * (double) rate / 1_000_000);
        if (number <= lastNumber || number > Integer.MAX_VALUE) {
            return false;
        }
        try {
            recorder.setFrameNumber((int) number);
            recorder.record(frame, pixelFormat);
            lastNumber = number;
            frames++;
            return true;
        } catch (FFmpegFrameRecorder.Exception | RuntimeException e) {
            throw new IOException("FFmpeg could not encode a frame: " + e.getMessage(), e);
        }
    }

    long frames() {
        return frames;
    }

    /** Writes the trailer and frees FFmpeg's memory. */
    void close() throws IOException {
        try {
            recorder.stop();
        } catch (FFmpegFrameRecorder.Exception | RuntimeException e) {
            throw new IOException("FFmpeg could not finish the segment: " + e.getMessage(), e);
        } finally {
            release(recorder);
        }
    }

    private static void release(FFmpegFrameRecorder recorder) {
        try {
            recorder.release();
        } catch (FFmpegFrameRecorder.Exception | RuntimeException ignored) {
            // freed as far as it goes
        }
    }
}
