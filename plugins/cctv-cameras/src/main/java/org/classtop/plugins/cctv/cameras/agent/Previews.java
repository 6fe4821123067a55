package org.classtop.plugins.cctv.cameras.agent;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.classtop.api.Lifecycle;
import org.classtop.api.agent.BinaryStreams;
import org.classtop.api.agent.LiveStream;
import org.classtop.plugins.cctv.cameras.CameraFeeds;
import org.classtop.plugins.cctv.cameras.CameraFrame;
import org.classtop.plugins.videosources.ffmpeg.JpegEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live previews for the server's viewers: one per camera however many watch, JPEG frames at most
 * {@code fps} a second, at most {@code max_width} wide, offered to the binary lane's live stream
 * {@code preview.<camera_id>} until the lease runs out (the server renews it while someone watches).
 */
@Singleton
final class Previews implements Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Previews.class);
    static final int MAX_FPS = 10;
    static final int MAX_WIDTH = 1280;
    static final int MAX_LEASE_SECONDS = 300;

    private final CameraService cameras;
    private final BinaryStreams streams;
    private final Map<String, Preview> previews = new ConcurrentHashMap<>();

    @Inject
    Previews(CameraService cameras, BinaryStreams streams) {
        this.cameras = cameras;
        this.streams = streams;
    }

    @Override
    public void start() {
        cameras.onCameraRemoved(this::stopPreview);
        cameras.everySecond(this::expire);
    }

    @Override
    public void stop() {
        List.copyOf(previews.keySet()).forEach(this::stopPreview);
    }

    /** Starts a preview, or renews the running one with these parameters. */
    synchronized Preview startPreview(String cameraId, double fps, int maxWidth, int leaseSeconds) {
        cameras.require(cameraId);
        long until = System.nanoTime() + leaseSeconds * 1_000_000_000L;
        Preview running = previews.get(cameraId);
        if (running != null && running.feed.isOpen()) {
            running.renew(fps, maxWidth, until);
            return running;
        }
        LiveStream live = streams.openLive("preview." + cameraId);
        Preview preview = new Preview(cameraId, live, fps, maxWidth, until);
        try {
            preview.feed = cameras.subscribe(cameraId, "preview", CameraFeeds.ConsumerRole.PREVIEW, preview::onFrame);
        } catch (RuntimeException e) {
            live.close();
            throw e;
        }
        previews.put(cameraId, preview);
        LOG.info("[cctv-cameras] Preview of camera '{}' started ({} fps, at most {} px wide, lease {} s).", cameraId,
                Errors.plain(fps), maxWidth, leaseSeconds);
        return preview;
    }

    synchronized boolean stopPreview(String cameraId) {
        Preview preview = previews.remove(cameraId);
        if (preview == null) {
            return false;
        }
        preview.end();
        LOG.info("[cctv-cameras] Preview of camera '{}' stopped.", cameraId);
        return true;
    }

    Preview preview(String cameraId) {
        return previews.get(cameraId);
    }

    private void expire() {
        long now = System.nanoTime();
        for (Preview preview : previews.values()) {
            if (now - preview.until > 0 || !preview.feed.isOpen()) {
                stopPreview(preview.cameraId);
            }
        }
    }

    /** One camera's preview; frames arrive one at a time on a delivery thread. */
    static final class Preview {
        final String cameraId;
        final LiveStream live;
        volatile CameraFeeds.FeedSubscription feed;
        private volatile long intervalNanos;
        private volatile int maxWidth;
        private volatile long until;
        private long nextDue;
        private JpegEncoder scaler;
        private boolean ended;

        Preview(String cameraId, LiveStream live, double fps, int maxWidth, long until) {
            this.cameraId = cameraId;
            this.live = live;
            renew(fps, maxWidth, until);
        }

        void renew(double fps, int width, long leaseUntil) {
            intervalNanos = (long) (1e9 / fps);
            maxWidth = width;
            until = leaseUntil;
        }

        synchronized void onFrame(CameraFrame frame) throws IOException {
            long now = System.nanoTime();
            if (ended || now - nextDue < 0) {
                return; // above the asked rate: this frame is not needed
            }
            nextDue = now - nextDue > intervalNanos ? now + intervalNanos : nextDue + intervalNanos; // the asked rate on average
            byte[] jpeg;
            if (frame.width() <= maxWidth) {
                jpeg = frame.jpeg().sharedBytes(); // the frame's one JPEG, shared with snapshots
            } else {
                int width = maxWidth & ~1;
                int height = Math.max(2, (int) Math.round(frame.height() * (double) width / frame.width()) & ~1);
                if (scaler == null || scaler.width() != width || scaler.height() != height) {
                    if (scaler != null) {
                        scaler.close();
                    }
                    scaler = null;
                    scaler = new JpegEncoder(width, height, 5, 10);
                }
                jpeg = scaler.encode(frame.image(), frame.pixelFormat());
                if (jpeg == null) {
                    return;
                }
            }
            live.offer(jpeg);
        }

        long sent() {
            return live.sent();
        }

        void end() {
            CameraFeeds.FeedSubscription subscription = feed;
            if (subscription != null) {
                subscription.close();
            }
            live.close();
            synchronized (this) {
                ended = true;
                if (scaler != null) {
                    scaler.close();
                    scaler = null;
                }
            }
        }
    }
}
