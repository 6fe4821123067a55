package org.classtop.plugins.videosources.fanout;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One reader of a {@link FrameFanOut}. {@link #offer} is called on the producer's thread for every frame and
 * must never block: each kind keeps a bounded number of waiting frames and counts the ones it skipped.
 */
public abstract class FanOutSubscriber<F> {
    private static final AtomicLong IDS = new AtomicLong();

    final FrameFanOut<F> fanOut;
    private final long id = IDS.incrementAndGet();
    private final String kind;
    private final String name;
    private final long since = System.currentTimeMillis();
    protected final AtomicLong delivered = new AtomicLong();
    protected final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean open = new AtomicBoolean(true);

    protected FanOutSubscriber(FrameFanOut<F> fanOut, String kind, String name) {
        this.fanOut = fanOut;
        this.kind = kind;
        this.name = name;
    }

    /** Hands over a frame without blocking. */
    protected abstract void offer(F frame);

    /** Releases what the kind holds (a mailbox, a stream, a socket); called once, after the subscriber left. */
    protected void closed() {
    }

    /** Unique in this process: tells two subscribers of one name apart. */
    public final long id() {
        return id;
    }

    /** What kind of reader this is ({@code in-process}, {@code mjpeg}, {@code websocket}, a camera role). */
    public final String kind() {
        return kind;
    }

    public final String name() {
        return name;
    }

    /** When it subscribed, epoch milliseconds. */
    public final long since() {
        return since;
    }

    public long delivered() {
        return delivered.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public final boolean isOpen() {
        return open.get();
    }

    /** Ends the subscription: no frame is handed over after it returns (one already being handled finishes). */
    public final void close() {
        if (open.compareAndSet(true, false)) {
            fanOut.remove(this);
            closed();
        }
    }
}
