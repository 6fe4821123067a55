package org.classtop.api.video;

/**
 * Receives a source's frames ({@link VideoSources#subscribe}). Calls for one subscriber come one at a
 * time on a thread of the video plugin's delivery pool, never on the thread that reads the camera. A
 * subscriber slower than the camera skips frames: it gets the newest frame when it is ready again, and
 * the skipped ones are counted as its drops. It never slows the camera or other subscribers.
 */
@FunctionalInterface
public interface FrameSubscriber {
    void onFrame(VideoFrame frame) throws Exception;
}
