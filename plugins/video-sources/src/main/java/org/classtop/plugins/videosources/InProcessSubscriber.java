package org.classtop.plugins.videosources;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.classtop.api.video.FrameSubscriber;
import org.classtop.api.video.VideoFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plugin's {@link FrameSubscriber}: a one-frame mailbox (the newest wins) drained on the delivery pool,
 * one call at a time, so a slow or blocking subscriber holds one pool thread and skips frames, nothing else.
 */
final class InProcessSubscriber extends Subscriber {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessSubscriber.class);

    private final FrameSubscriber target;
    private final Executor pool;
    private final AtomicReference<VideoFrame> mailbox = new AtomicReference<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean failedOnce;

    InProcessSubscriber(Source source, String name, FrameSubscriber target, Executor pool) {
        super(source, "in-process", name);
        this.target = target;
        this.pool = pool;
    }

    @Override
    void offer(VideoFrame frame) {
        if (mailbox.getAndSet(frame) != null) {
            dropped.incrementAndGet();
        }
        scheduleDrain();
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
            VideoFrame frame;
            while (isOpen() && (frame = mailbox.getAndSet(null)) != null) {
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
        if (isOpen() && mailbox.get() != null) {
            scheduleDrain();
        }
    }

    @Override
    void closed() {
        mailbox.set(null);
    }
}
