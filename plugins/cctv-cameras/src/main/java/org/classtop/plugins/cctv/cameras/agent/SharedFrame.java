package org.classtop.plugins.cctv.cameras.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.Frame;
import org.classtop.api.video.VideoFrame;
import org.classtop.plugins.cctv.cameras.CameraFrame;

/**
 * One decoded frame, copied once off the grabber (whose own buffer the next grab overwrites) and handed to
 * every consumer; its JPEG is encoded on the first {@link #jpeg()} call and shared by the later ones.
 */
final class SharedFrame implements CameraFrame {
    static final int PIXEL_FORMAT = avutil.AV_PIX_FMT_YUV420P;

    private final Camera camera;
    private final long sequence;
    private final long capturedAt;
    private final Frame image;
    private volatile VideoFrame jpeg;

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

    /** @throws UncheckedIOException with FFmpeg's reason when the frame cannot be encoded */
    @Override
    public VideoFrame jpeg() {
        VideoFrame encoded = jpeg;
        if (encoded == null) {
            synchronized (this) {
                encoded = jpeg;
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
