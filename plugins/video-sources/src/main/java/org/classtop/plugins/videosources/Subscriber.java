package org.classtop.plugins.videosources;

import org.classtop.api.video.VideoFrame;
import org.classtop.api.video.VideoSourceStatus;
import org.classtop.api.video.VideoSubscription;
import org.classtop.plugins.videosources.fanout.FanOutSubscriber;

/**
 * A viewer of one source reached through a route (MJPEG, WebSocket): a {@link FanOutSubscriber} of the
 * source's frames that never blocks the reading thread.
 */
abstract class Subscriber extends FanOutSubscriber<VideoFrame> implements VideoSubscription {
    private final Source source;

    Subscriber(Source source, String kind, String name) {
        super(source.fanOut(), kind, name);
        this.source = source;
    }

    @Override
    public final String sourceId() {
        return source.id();
    }

    static VideoSourceStatus.Subscriber status(FanOutSubscriber<VideoFrame> subscriber) {
        return new VideoSourceStatus.Subscriber(subscriber.id(), subscriber.kind(), subscriber.name(), subscriber.since(),
                subscriber.delivered(), subscriber.dropped());
    }
}
