package org.classtop.plugins.cctv.cameras;

import org.bytedeco.javacv.Frame;
import org.classtop.api.video.VideoFrame;

/**
 * One frame of a camera, decoded once and shared by every consumer: read it, never change it, and do
 * not keep {@link #image()} after {@code onFrame} returns (copy it with {@code Frame.clone()} if you must).
 */
public interface CameraFrame {
    String cameraId();

    /** 1 for the first frame since the camera was opened, then +1 per frame. */
    long sequence();

    /** When the grabber had the frame, epoch milliseconds. */
    long capturedAtMillis();

    int width();

    int height();

    /** The decoded image (javacv, from the video-sources plugin's FFmpeg), in {@link #pixelFormat()}. */
    Frame image();

    /**
     * The FFmpeg pixel format of {@link #image()} ({@code avutil.AV_PIX_FMT_YUV420P} for the cameras of this
     * plugin): pass it on, e.g. {@code recorder.record(frame.image(), frame.pixelFormat())}, so an encoder of
     * the same format converts nothing. (Added by the cameras agent.)
     */
    int pixelFormat();

    /** The frame as a JPEG, encoded on the first call and shared by later callers (preview, snapshot). */
    VideoFrame jpeg();
}
