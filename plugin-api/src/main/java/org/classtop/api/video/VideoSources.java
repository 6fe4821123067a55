package org.classtop.api.video;

import java.util.List;
import java.util.Optional;

/**
 * The video sources the server holds, exported by the {@code video-sources} plugin. Each source has
 * exactly one upstream connection however many subscribe.
 *
 * <pre>{@code
 * @Inject Detector(VideoSources video) { this.video = video; }
 * public void start() {
 *     subscription = video.subscribe("hall", "detector", frame -> detect(frame.jpeg()));
 * }
 * public void stop() { subscription.close(); }
 * }</pre>
 */
public interface VideoSources {
    /** The ids of the sources, in the order they were added. */
    List<String> ids();

    /** The status of one source; empty when there is no such source. */
    Optional<VideoSourceStatus> status(String sourceId);

    /** The newest frame of a source; empty when there is no such source or it has no frame yet. */
    Optional<VideoFrame> latest(String sourceId);

    /**
     * Delivers the source's frames to {@code subscriber} from the next frame on, until the subscription
     * is closed or the source deleted.
     *
     * @param name shown in the source's status next to the subscriber's drops
     * @throws java.util.NoSuchElementException when there is no such source
     * @throws org.classtop.api.server.ApiException 503 {@code TOO_MANY_SUBSCRIBERS} when the source already has
     *         its most subscribers ({@code video-sources.MAX_SUBSCRIBERS})
     */
    VideoSubscription subscribe(String sourceId, String name, FrameSubscriber subscriber);
}
