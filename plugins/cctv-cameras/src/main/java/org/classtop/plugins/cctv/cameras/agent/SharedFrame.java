package org.classtop.plugins.cctv.cameras.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
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
    private int references = 1;

    SharedFrame(Camera camera, long sequence, long capturedAt, Frame image) {
        this.camera = camera;
        this.sequence = sequence;
        this.capturedAt = capturedAt;
        this.image = image;
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

    synchronized void retain() {
        if (references > 0) {
            references++;
        }
    }

    /** Drops one reference; the last one frees the image's native memory. */
    synchronized void release() {
        if (references > 0 && --references == 0) {
            image.close();
        }
    }

    synchronized boolean isReleased() {
        return references == 0;
    }

    /**
     * @throws UncheckedIOException with FFmpeg's reason when the frame cannot be encoded
     * @throws IllegalStateException when called after {@code onFrame} returned and the frame was freed
     */
    @Override
    public VideoFrame jpeg() {
        VideoFrame encoded = jpeg;
        if (encoded == null) {
            synchronized (this) {
                encoded = jpeg;
                if (encoded == null && references == 0) {
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
