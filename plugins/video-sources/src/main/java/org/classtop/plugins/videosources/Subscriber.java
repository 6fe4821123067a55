package org.classtop.plugins.videosources;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.classtop.api.video.VideoFrame;
import org.classtop.api.video.VideoSourceStatus;
import org.classtop.api.video.VideoSubscription;

/**
 * One reader of one source. {@link #offer} is called on the source's reading thread for every frame and
 * must never block: each kind keeps at most one waiting frame (the newest) and counts the ones it skipped.
 */
abstract class Subscriber implements VideoSubscription {
    private static final AtomicLong IDS = new AtomicLong();

    final long id = IDS.incrementAndGet();
    final String kind;
    final String name;
    final long since = System.currentTimeMillis();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    private final Source source;
    private final AtomicBoolean open = new AtomicBoolean(true);

    Subscriber(Source source, String kind, String name) {
        this.source = source;
        this.kind = kind;
        this.name = name;
    }

    /** Hands over a frame without blocking. */
    abstract void offer(VideoFrame frame);

    /** Releases what the kind holds (a stream, a socket); called once. */
    void closed() {
    }

    @Override
    public final String sourceId() {
        return source.id();
    }

    @Override
    public long delivered() {
        return delivered.get();
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    @Override
    public final boolean isOpen() {
        return open.get();
    }

    @Override
    public final void close() {
        if (open.compareAndSet(true, false)) {
            source.remove(this);
            closed();
        }
    }

    VideoSourceStatus.Subscriber status() {
        return new VideoSourceStatus.Subscriber(id, kind, name, since, delivered(), dropped());
    }
}
