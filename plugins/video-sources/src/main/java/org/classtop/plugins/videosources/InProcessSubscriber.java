package org.classtop.plugins.videosources;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.classtop.api.video.FrameSubscriber;
import org.classtop.api.video.VideoFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plugin's {@link FrameSubscriber}: a mailbox of at most {@code capacity} frames drained on the delivery
 * pool, one call at a time. A subscriber that keeps up on average rides out a burst; one that falls further
 * behind loses the oldest waiting frames (the newest always waits), so a slow or blocking subscriber holds
 * one pool thread and skips frames, nothing else.
 */
final class InProcessSubscriber extends Subscriber {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessSubscriber.class);

    private final FrameSubscriber target;
    private final Executor pool;
    private final ArrayDeque<VideoFrame> mailbox = new ArrayDeque<>();
    private final int capacity;
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean failedOnce;

    InProcessSubscriber(Source source, String name, FrameSubscriber target, Executor pool, int capacity) {
        super(source, "in-process", name);
        this.capacity = capacity;
        this.target = target;
        this.pool = pool;
    }

    @Override
    void offer(VideoFrame frame) {
        synchronized (mailbox) {
            while (mailbox.size() >= capacity) {
                mailbox.poll();
                dropped.incrementAndGet();
            }
            mailbox.add(frame);
        }
        scheduleDrain();
    }

    private VideoFrame take() {
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

    private static final int FRAMES_PER_RUN = 4;

    private void drain() {
        try {
            VideoFrame frame;
            // A few frames per run, then the thread goes back to the pool: a subscriber that is always behind
            // takes turns with the others instead of keeping a delivery thread.
            for (int run = 0; run < FRAMES_PER_RUN && isOpen() && (frame = take()) != null; run++) {
                try {
                    target.onFrame(frame);
                    delivered.incrementAndGet();
                } catch (Exception | LinkageError e) {
                    if (!failedOnce) { // once per subscriber: a failing subscriber must not flood the log at 30 fps
                        failedOnce = true;
                        LOG.warn("[video-sources] Subscriber '{}' of source '{}' failed on a frame (logged once): {}",
                                name, sourceId(), e.toString());
                    }
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
    void closed() {
        synchronized (mailbox) {
            mailbox.clear();
        }
    }
}
