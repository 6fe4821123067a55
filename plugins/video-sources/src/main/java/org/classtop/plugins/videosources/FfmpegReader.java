package org.classtop.plugins.videosources;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Anything FFmpeg reads (a URL, a file, a {@code lavfi:} graph), decoded by FFmpeg and encoded to JPEG
 * once per frame by FFmpeg's mjpeg encoder, however many subscribers. Files and lavfi graphs are read
 * as fast as FFmpeg can, so they are paced by their timestamps; the end of a file ends the connection
 * (the source then reopens it, so a file plays in a loop).
 */
final class FfmpegReader implements FrameReader {
    private final FFmpegFrameGrabber grabber;
    private final FFmpegFrameRecorder encoder;
    private final JpegCollector collector;
    private final boolean paced;
    private final int maxFrameBytes;
    private long firstTimestampMicros = -1;
    private long firstFrameNanos;
    private volatile boolean closed;
    private boolean released;
    /** The source's reading thread: only it may free FFmpeg's memory (another thread could free it mid-grab). */
    private final Thread owner = Thread.currentThread();

    private FfmpegReader(FFmpegFrameGrabber grabber, FFmpegFrameRecorder encoder, JpegCollector collector, boolean paced,
                         int maxFrameBytes) {
        this.grabber = grabber;
        this.encoder = encoder;
        this.collector = collector;
        this.paced = paced;
        this.maxFrameBytes = maxFrameBytes;
    }

    static FfmpegReader open(SourceSpec spec, VideoSettings settings) throws IOException {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR); // FFmpeg's own chatter (per-frame warnings) stays out of the log
        String input = spec.isLavfi() ? spec.url().substring("lavfi:".length()) : spec.url();
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(input);
        if (spec.format() != null) {
            grabber.setFormat(spec.format());
        }
        // Decode straight to the encoder's pixel format: one conversion per frame instead of two via BGR.
        grabber.setPixelFormat(avutil.AV_PIX_FMT_YUVJ420P);
        if (spec.url().contains("://") && !spec.url().regionMatches(true, 0, "file://", 0, 7)) {
            String micros = String.valueOf(settings.stallTimeout.toMillis() * 1000);
            grabber.setOption("rw_timeout", micros); // a network read that waits longer fails: the source reconnects
            grabber.setOption("timeout", micros);
        }
        try {
            grabber.start();
        } catch (FFmpegFrameGrabber.Exception | RuntimeException e) {
            release(grabber);
            throw new IOException("FFmpeg could not open the source: " + reason(e));
        }
        int width = grabber.getImageWidth();
        int height = grabber.getImageHeight();
        if (width <= 0 || height <= 0) {
            release(grabber);
            throw new IOException("FFmpeg found no video stream in the source.");
        }
        JpegCollector collector = new JpegCollector();
        FFmpegFrameRecorder encoder = new FFmpegFrameRecorder(collector, width, height, 0);
        encoder.setFormat("mjpeg");
        encoder.setVideoCodec(avcodec.AV_CODEC_ID_MJPEG);
        encoder.setPixelFormat(avutil.AV_PIX_FMT_YUVJ420P);
        double rate = grabber.getFrameRate();
        encoder.setFrameRate(rate > 0 && rate < 1000 ? rate : 25);
        encoder.setVideoQuality(settings.jpegQscale);
        encoder.setOption("flush_packets", "1"); // each frame's bytes reach the collector before record() returns
        try {
            encoder.start();
        } catch (FFmpegFrameRecorder.Exception | RuntimeException e) {
            release(grabber);
            throw new IOException("FFmpeg could not start its JPEG encoder: " + reason(e));
        }
        return new FfmpegReader(grabber, encoder, collector, spec.needsPacing(), settings.maxFrameBytes);
    }

    @Override
    public byte[] next() throws IOException {
        while (!closed) {
            Frame frame;
            try {
                frame = grabber.grabImage();
            } catch (FFmpegFrameGrabber.Exception | RuntimeException e) {
                throw new IOException("FFmpeg could not read the source: " + reason(e));
            }
            if (frame == null) {
                return null;
            }
            if (frame.image == null) {
                continue;
            }
            pace(frame.timestamp);
            try {
                encoder.record(frame, avutil.AV_PIX_FMT_YUVJ420P);
            } catch (FFmpegFrameRecorder.Exception | RuntimeException e) {
                throw new IOException("FFmpeg could not encode a frame: " + reason(e));
            }
            byte[] jpeg = collector.take(maxFrameBytes);
            if (jpeg != null) {
                return jpeg;
            }
        }
        return null;
    }

    private void pace(long timestampMicros) throws IOException {
        if (!paced) {
            return;
        }
        long now = System.nanoTime();
        if (firstTimestampMicros < 0 || timestampMicros < firstTimestampMicros) {
            firstTimestampMicros = timestampMicros;
            firstFrameNanos = now;
            return;
        }
        long dueNanos = firstFrameNanos + (timestampMicros - firstTimestampMicros) * 1000;
        long wait = dueNanos - now;
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("The source was stopped.");
            }
        }
    }

    /**
     * From the reading thread: frees FFmpeg's resources. From any other thread (delete, stall): only marks
     * the reader closed; the reading thread sees it after the current frame and frees them itself.
     */
    @Override
    public void close() {
        closed = true;
        if (Thread.currentThread() != owner || released) {
            return;
        }
        released = true;
        try {
            encoder.close();
        } catch (Exception | Error ignored) {
            // best effort: the connection ends either way
        }
        release(grabber);
    }

    private static void release(FFmpegFrameGrabber grabber) {
        try {
            grabber.close();
        } catch (Exception | Error ignored) {
            // best effort
        }
    }

    private static String reason(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.strip();
    }

    /** Collects what the encoder writes: with flush_packets, exactly one JPEG per recorded frame. */
    static final class JpegCollector extends OutputStream {
        private byte[] bytes = new byte[128 * 1024];
        private int length;

        @Override
        public void write(int b) {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] data, int offset, int count) {
            if (length + count > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
            }
            System.arraycopy(data, offset, bytes, length, count);
            length += count;
        }

        /** The JPEG written since the last take, or null while it is incomplete. */
        byte[] take(int maxFrameBytes) throws MalformedStreamException {
            if (length > maxFrameBytes) {
                length = 0;
                throw new MalformedStreamException("FFmpeg made a JPEG longer than " + maxFrameBytes
                        + " bytes (video-sources.MAX_FRAME_BYTES): raise it or lower the source's resolution.");
            }
            if (length < 4 || (bytes[length - 2] & 0xFF) != 0xFF || (bytes[length - 1] & 0xFF) != 0xD9) {
                return null;
            }
            byte[] jpeg = Arrays.copyOf(bytes, length);
            length = 0;
            return jpeg;
        }
    }
}
