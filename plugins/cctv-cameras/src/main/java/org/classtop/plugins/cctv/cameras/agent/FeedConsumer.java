package org.classtop.plugins.cctv.cameras.agent;

import java.util.concurrent.Executor;
import org.classtop.plugins.cctv.cameras.CameraFeeds;
import org.classtop.plugins.cctv.cameras.CameraFrame;
import org.classtop.plugins.videosources.fanout.MailboxSubscriber;

/** One subscription of {@link CameraFeeds}: the shared mailbox subscriber of video-sources, with its role. */
final class FeedConsumer extends MailboxSubscriber<CameraFrame> implements CameraFeeds.FeedSubscription {
    private final String cameraId;
    private final CameraFeeds.ConsumerRole role;
    private final Runnable onClose;

    FeedConsumer(Camera camera, String name, CameraFeeds.ConsumerRole role, CameraFeeds.CameraFrameConsumer consumer,
             Executor pool, int capacity, Runnable onClose) {
        super(camera.fanOut(), role.name().toLowerCase(java.util.Locale.ROOT), name, consumer::onFrame, pool, capacity,
                "[cctv-cameras] Consumer '" + name + "' of camera '" + camera.id() + "'");
        this.cameraId = camera.id();
        this.role = role;
        this.onClose = onClose;
    }

    @Override
    public String cameraId() {
        return cameraId;
    }

    CameraFeeds.ConsumerRole role() {
        return role;
    }

    @Override
    protected void accepted(CameraFrame frame) {
        ((SharedFrame) frame).retain();
    }

    @Override
    protected void discarded(CameraFrame frame) {
        ((SharedFrame) frame).release();
    }

    @Override
    protected void handled(CameraFrame frame) {
        ((SharedFrame) frame).release();
    }

    @Override
    protected void closed() {
        super.closed();
        onClose.run();
    }
}
