package org.classtop.plugins.cctv.cameras.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.Frame;
import org.classtop.api.video.VideoFrame;
import org.classtop.plugins.cctv.cameras.CameraFrame;

/**
 * One decoded frame, copied once off the grabber (whose own buffer the next grab overwrites) and handed to
 * every consumer; its JPEG is encoded on the first {@link #jpeg()} call and shared by the later ones. The copy's
 * native memory is freed as soon as the grabber and every consumer that took the frame are done with it
 * (reference counted), not whenever the garbage collector gets to it: at 720p and 30 fps that is 40 MB/s.
 */
final class SharedFrame implements CameraFrame {
    static final int PIXEL_FORMAT = avutil.AV_PIX_FMT_YUV420P;

    private final Camera camera;
    private final long sequence;
    private final long capturedAt;
    private final Frame image;
    private volatile VideoFrame jpeg;
    /** The grabber's reference plus one per consumer mailbox holding the frame. */
    private final AtomicInteger references = new AtomicInteger(1);
    /** Only the JPEG encoding: retain/release never wait for it (the grabber must not wait for a consumer). */
    private final Object jpegLock = new Object();
    /** Frames made and not yet freed, for tests: every frame must be released. */
    static final AtomicInteger LIVE = new AtomicInteger();

    SharedFrame(Camera camera, long sequence, long capturedAt, Frame image) {
        this.camera = camera;
        this.sequence = sequence;
        this.capturedAt = capturedAt;
        this.image = image;
        LIVE.incrementAndGet();
    }

    @Override
    public String cameraId() {
        return camera.id();
    }

    @Override
    public long sequence() {
        return sequence;
    }

    @Override
    public long capturedAtMillis() {
        return capturedAt;
    }

    @Override
    public int width() {
        return image.imageWidth;
    }

    @Override
    public int height() {
        return image.imageHeight;
    }

    @Override
    public Frame image() {
        return image;
    }

    @Override
    public int pixelFormat() {
        return PIXEL_FORMAT;
    }

    void retain() {
        references.getAndUpdate(n -> n > 0 ? n + 1 : 0);
    }

    /** Drops one reference; the last one frees the image's native memory. */
    void release() {
        if (references.getAndUpdate(n -> n > 0 ? n - 1 : 0) == 1) {
            LIVE.decrementAndGet();
            image.close();
        }
    }

    boolean isReleased() {
        return references.get() == 0;
    }

    /**
     * @throws UncheckedIOException with FFmpeg's reason when the frame cannot be encoded
     * @throws IllegalStateException when called after {@code onFrame} returned and the frame was freed
     */
    @Override
    public VideoFrame jpeg() {
        VideoFrame encoded = jpeg;
        if (encoded == null) {
            synchronized (jpegLock) {
                encoded = jpeg;
                if (encoded == null && references.get() == 0) {
                    throw new IllegalStateException("The frame " + sequence + " of camera '" + camera.id()
                            + "' was released: call jpeg() inside onFrame.");
                }
                if (encoded == null) {
                    try {
                        encoded = new VideoFrame(camera.id(), sequence, capturedAt, camera.encodeJpeg(image, PIXEL_FORMAT));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e.getMessage(), e);
                    }
                    jpeg = encoded;
                }
            }
        }
        return encoded;
    }

    /** Whether the JPEG was made already (tests: one encoding per frame). */
    boolean hasJpeg() {
        return jpeg != null;
    }
}
