package org.classtop.plugins.videosources;

import java.io.IOException;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.classtop.plugins.videosources.ffmpeg.Grabbers;
import org.classtop.plugins.videosources.ffmpeg.JpegEncoder;
import org.classtop.plugins.videosources.ffmpeg.Pacer;

/**
 * Anything FFmpeg reads (a URL, a file, a {@code lavfi:} graph), decoded by FFmpeg and encoded to JPEG
 * once per frame by FFmpeg's mjpeg encoder, however many subscribers. Files and lavfi graphs are read
 * as fast as FFmpeg can, so they are paced by their timestamps; the end of a file ends the connection
 * (the source then reopens it, so a file plays in a loop).
 */
final class FfmpegReader implements FrameReader {
    private final FFmpegFrameGrabber grabber;
    private final JpegEncoder encoder;
    private final boolean paced;
    private final int maxFrameBytes;
    private final Pacer pacer = new Pacer();
    private volatile boolean closed;
    private boolean released;
    /** The source's reading thread: only it may free FFmpeg's memory (another thread could free it mid-grab). */
    private final Thread owner = Thread.currentThread();

    private FfmpegReader(FFmpegFrameGrabber grabber, JpegEncoder encoder, boolean paced, int maxFrameBytes) {
        this.grabber = grabber;
        this.encoder = encoder;
        this.paced = paced;
        this.maxFrameBytes = maxFrameBytes;
    }

    static FfmpegReader open(SourceSpec spec, VideoSettings settings) throws IOException {
        String input = spec.isLavfi() ? spec.url().substring("lavfi:".length()) : spec.url();
        // Decode straight to the encoder's pixel format: one conversion per frame instead of two via BGR.
        FFmpegFrameGrabber grabber = Grabbers.open(new Grabbers.Input(input, spec.format(), avutil.AV_PIX_FMT_YUVJ420P,
                0, 0, 0), settings.stallTimeout, settings.maxPixels);
        int width = grabber.getImageWidth();
        int height = grabber.getImageHeight();
        JpegEncoder encoder;
        try {
            double rate = grabber.getFrameRate();
            encoder = new JpegEncoder(width, height, settings.jpegQscale, rate);
        } catch (IOException e) {
            Grabbers.close(grabber);
            throw e;
        }
        return new FfmpegReader(grabber, encoder, spec.needsPacing(), settings.maxFrameBytes);
    }

    @Override
    public byte[] next() throws IOException {
        while (!closed) {
            Frame frame = Grabbers.nextImage(grabber);
            if (frame == null) {
                return null;
            }
            pace(frame.timestamp);
            byte[] jpeg = encoder.encode(frame, avutil.AV_PIX_FMT_YUVJ420P);
            if (jpeg != null && jpeg.length > maxFrameBytes || jpeg == null && encoder.pendingBytes() > maxFrameBytes) {
                throw new MalformedStreamException("FFmpeg made a JPEG longer than " + maxFrameBytes
                        + " bytes (video-sources.MAX_FRAME_BYTES): raise it or lower the source's resolution.");
            }
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
        long wait = pacer.waitNanos(timestampMicros, System.nanoTime());
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
        encoder.close();
        Grabbers.close(grabber);
    }
}
