package org.classtop.plugins.videosources.ffmpeg;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Encodes decoded frames to JPEG with FFmpeg's mjpeg encoder, scaling them to the encoder's size when they
 * differ (FFmpeg's swscale). Used by video-sources' FFmpeg sources and by cctv-cameras (shared frames,
 * previews), so FFmpeg stays in the one video-sources jar. Not thread-safe: one caller at a time.
 */
public final class JpegEncoder implements AutoCloseable {
    private final FFmpegFrameRecorder encoder;
    private final Collector collector = new Collector();
    private final int width;
    private final int height;
    private boolean closed;

    /**
     * @param qscale 2 (best) to 31 (smallest), FFmpeg's qscale
     * @throws IOException with a sentence when FFmpeg cannot start the encoder
     */
    public JpegEncoder(int width, int height, int qscale, double frameRate) throws IOException {
        if (width <= 0 || height <= 0) {
            throw new IOException("A JPEG needs a positive size, not " + width + "x" + height + ".");
        }
        this.width = width;
        this.height = height;
        encoder = new FFmpegFrameRecorder(collector, width, height, 0);
        encoder.setFormat("mjpeg");
        encoder.setVideoCodec(avcodec.AV_CODEC_ID_MJPEG);
        encoder.setPixelFormat(avutil.AV_PIX_FMT_YUVJ420P);
        encoder.setFrameRate(frameRate > 0 && frameRate < 1000 ? frameRate : 25);
        encoder.setVideoQuality(Math.max(2, Math.min(31, qscale)));
        encoder.setOption("flush_packets", "1"); // each frame's bytes reach the collector before record() returns
        encoder.setVideoOption("threads", "1"); // frame threads would hold frames back: one JPEG out per frame in
        try {
            encoder.start();
        } catch (FFmpegFrameRecorder.Exception | RuntimeException e) {
            close();
            throw new IOException("FFmpeg could not start its JPEG encoder: " + reason(e));
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /**
     * One JPEG of {@code frame}, whose image is in FFmpeg pixel format {@code pixelFormat} (e.g.
     * {@code AV_PIX_FMT_YUV420P}); null if the encoder gave no complete picture for it.
     */
    public byte[] encode(Frame frame, int pixelFormat) throws IOException {
        if (closed) {
            throw new IOException("The JPEG encoder is closed.");
        }
        try {
            encoder.record(frame, pixelFormat);
        } catch (FFmpegFrameRecorder.Exception | RuntimeException e) {
            collector.reset();
            throw new IOException("FFmpeg could not encode a frame: " + reason(e));
        }
        return collector.take();
    }

    /** Bytes the encoder wrote for the picture in progress (a guard against runaway sizes). */
    public int pendingBytes() {
        return collector.length;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            encoder.close();
        } catch (Exception | Error ignored) {
            // best effort
        }
    }

    public static String reason(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.strip();
    }

    /** Collects what the encoder writes: with flush_packets, exactly one JPEG per recorded frame. */
    private static final class Collector extends OutputStream {
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

        void reset() {
            length = 0;
        }

        /** The JPEG written since the last take, or null while it is incomplete. */
        byte[] take() {
            if (length < 4 || (bytes[length - 2] & 0xFF) != 0xFF || (bytes[length - 1] & 0xFF) != 0xD9) {
                return null;
            }
            byte[] jpeg = Arrays.copyOf(bytes, length);
            length = 0;
            return jpeg;
        }
    }
}
