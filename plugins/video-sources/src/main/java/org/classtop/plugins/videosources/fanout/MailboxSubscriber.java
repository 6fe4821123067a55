package org.classtop.plugins.videosources.fanout;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process subscriber: a mailbox of at most {@code capacity} frames drained on a shared delivery pool,
 * one call at a time. A subscriber that keeps up on average rides out a burst; one that falls further behind
 * loses the oldest waiting frames (the newest always waits, {@link #dropped()} counts the rest), so a slow or
 * blocking target holds one pool thread and skips frames, nothing else.
 */
public class MailboxSubscriber<F> extends FanOutSubscriber<F> {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxSubscriber.class);
    /** Frames per run before the thread goes back to the pool: a target that is always behind takes turns. */
    private static final int FRAMES_PER_RUN = 4;

    /** What receives the frames. */
    @FunctionalInterface
    public interface Target<F> {
        void onFrame(F frame) throws Exception;
    }

    private final Target<F> target;
    private final Executor pool;
    private final ArrayDeque<F> mailbox = new ArrayDeque<>();
    private final int capacity;
    private final String label;
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean failedOnce;
    private boolean shut; // guarded by mailbox: no frame enters once closed

    /**
     * @param label how the log names it once if its target throws, e.g. {@code [video-sources] Subscriber 'x' of source 'y'}
     */
    public MailboxSubscriber(FrameFanOut<F> fanOut, String kind, String name, Target<F> target, Executor pool,
                             int capacity, String label) {
        super(fanOut, kind, name);
        if (capacity < 1) {
            throw new IllegalArgumentException("A mailbox holds at least one frame.");
        }
        this.target = target;
        this.pool = pool;
        this.capacity = capacity;
        this.label = label;
    }

    @Override
    protected final void offer(F frame) {
        synchronized (mailbox) {
            if (shut) {
                return;
            }
            accepted(frame);
            while (mailbox.size() >= capacity) {
                discarded(mailbox.poll());
                dropped.incrementAndGet();
            }
            mailbox.add(frame);
        }
        scheduleDrain();
    }

    /**
     * A frame entered the mailbox; it leaves it through exactly one of {@link #discarded} and {@link #handled}
     * (a frame offered after the subscriber closed is neither accepted nor kept). For frames that hold
     * resources: cctv-cameras counts references with these hooks.
     */
    protected void accepted(F frame) {
    }

    /** A frame that left the mailbox undelivered (dropped, or waiting when the subscriber closed). */
    protected void discarded(F frame) {
    }

    /** The target returned (or threw) for this frame. */
    protected void handled(F frame) {
    }

    private F take() {
        synchronized (mailbox) {
            return mailbox.poll();
        }
    }

    private boolean waiting() {
        synchronized (mailbox) {
            return !mailbox.isEmpty();
        }
    }

    private void scheduleDrain() {
        if (draining.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException stopping) {
                draining.set(false);
            }
        }
    }

    private void drain() {
        try {
            F frame;
            for (int run = 0; run < FRAMES_PER_RUN && isOpen() && (frame = take()) != null; run++) {
                try {
                    target.onFrame(frame);
                    delivered.incrementAndGet();
                } catch (Exception | LinkageError e) {
                    if (!failedOnce) { // once per subscriber: a failing target must not flood the log at 30 fps
                        failedOnce = true;
                        LOG.warn("{} failed on a frame (logged once): {}", label, e.toString());
                    }
                } finally {
                    handled(frame);
                }
            }
        } finally {
            draining.set(false);
        }
        if (isOpen() && waiting()) {
            scheduleDrain();
        }
    }

    @Override
    protected void closed() {
        synchronized (mailbox) {
            shut = true;
            mailbox.forEach(this::discarded);
            mailbox.clear();
        }
    }
}
