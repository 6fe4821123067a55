package org.classtop.api.video;

/**
 * Receives a source's frames ({@link VideoSources#subscribe}). Calls for one subscriber come one at a
 * time on a thread of the video plugin's delivery pool, never on the thread that reads the camera. A few
 * frames may wait for a subscriber (4 by default), so one that keeps up on average rides out a burst; one
 * slower than the camera skips the oldest waiting frames, counted as its drops. It never slows the camera
 * or other subscribers.
 */
@FunctionalInterface
public interface FrameSubscriber {
    void onFrame(VideoFrame frame) throws Exception;
}
