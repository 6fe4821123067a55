package org.classtop.plugins.cctv.cameras;

/**
 * A camera as configured and as it is now.
 *
 * @param source a device ({@code /dev/video0}, {@code video=Name} on Windows), a stream URL, a video file or {@code lavfi:<graph>}
 * @param width requested width, 0 when the camera's own
 * @param height requested height, 0 when the camera's own
 * @param fps requested frames per second, 0 when the camera's own
 * @param connected whether the grabber has the camera open now
 * @param measuredFps frames per second over the last few seconds
 * @param lastError the last failure as one sentence, or null
 */
public record CameraView(String cameraId, String name, String source, int width, int height, double fps,
        boolean connected, double measuredFps, String lastError) {
}
