package org.classtop.plugins.videosources;

import java.util.concurrent.Executor;
import org.classtop.api.video.FrameSubscriber;
import org.classtop.api.video.VideoFrame;
import org.classtop.api.video.VideoSubscription;
import org.classtop.plugins.videosources.fanout.MailboxSubscriber;

/**
 * A plugin's {@link FrameSubscriber}: the shared {@link MailboxSubscriber} (at most {@code capacity} frames
 * waiting, drained on the delivery pool one call at a time, oldest dropped first).
 */
final class InProcessSubscriber extends MailboxSubscriber<VideoFrame> implements VideoSubscription {
    private final String sourceId;

    InProcessSubscriber(Source source, String name, FrameSubscriber target, Executor pool, int capacity) {
        super(source.fanOut(), "in-process", name, target::onFrame, pool, capacity,
                "[video-sources] Subscriber '" + name + "' of source '" + source.id() + "'");
        this.sourceId = source.id();
    }

    @Override
    public String sourceId() {
        return sourceId;
    }
}
