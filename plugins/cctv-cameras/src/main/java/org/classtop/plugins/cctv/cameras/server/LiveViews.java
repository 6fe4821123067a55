package org.classtop.plugins.cctv.cameras.server;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.classtop.api.Failures;
import org.classtop.api.Lifecycle;
import org.classtop.api.PluginContext;
import org.classtop.api.Registration;
import org.classtop.api.Scheduler;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.AgentStreamReceiver;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.Events;
import org.classtop.api.server.StreamSink;
import org.classtop.api.video.VideoFrame;
import org.classtop.plugins.videosources.fanout.FanOutSubscriber;
import org.classtop.plugins.videosources.fanout.FrameFanOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live view: one preview upstream per (agent, camera) however many browsers watch. The first viewer sends
 * {@code cctv_preview_start}; the agent's JPEG frames arrive on the lane stream
 * {@code cctv-cameras.preview.<camera_id>} and go, through video-sources' {@link FrameFanOut}, to every
 * viewer's {@link StreamSink} (the platform's newest-wins MJPEG answer, so a slow browser skips frames and
 * never slows the others). While someone watches, the lease is renewed every lease/3; {@code cctv_preview_stop} goes out once the last viewer has
 * been gone for {@code PREVIEW_LINGER} (a page that re-renders its thumbnails does not restart the preview).
 */
@Singleton
public final class LiveViews implements AgentStreamReceiver, Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(LiveViews.class);
    private static final String STREAM_PREFIX = "cctv-cameras.preview.";
    private static final long UNATTACHED_NANOS = Duration.ofSeconds(30).toNanos();

    private final AgentCommands commands;
    private final Scheduler scheduler;
    private final Events events;
    private final PluginContext context;
    private final Map<Key, Upstream> upstreams = new ConcurrentHashMap<>();
    private final List<Registration> held = new ArrayList<>();
    private volatile Settings settings = Settings.DEFAULTS;

    record Key(String clientUuid, String cameraId) {
    }

    /** The preview settings (cctv-cameras.PREVIEW_*). */
    record Settings(int fps, int maxWidth, Duration lease, Duration linger, int maxViewersPerCamera, int maxViewers) {
        static final Settings DEFAULTS = new Settings(2, 640, Duration.ofSeconds(30), Duration.ofSeconds(2), 32, 256);
    }

    @Inject
    LiveViews(AgentCommands commands, Scheduler scheduler, Events events, PluginContext context) {
        this.commands = commands;
        this.scheduler = scheduler;
        this.events = events;
        this.context = context;
    }

    @Override
    public void start() {
        Settings d = Settings.DEFAULTS;
        int fps = context.configInt("PREVIEW_FPS", d.fps());
        int maxWidth = context.configInt("PREVIEW_MAX_WIDTH", d.maxWidth());
        Duration lease = context.configDuration("PREVIEW_LEASE", d.lease());
        if (fps < 1 || fps > 10 || maxWidth < 16 || maxWidth > 1280 || lease.toSeconds() < 3) {
            throw new IllegalArgumentException("The preview settings of cctv-cameras are out of range: PREVIEW_FPS 1 to 10, "
                    + "PREVIEW_MAX_WIDTH 16 to 1280 and PREVIEW_LEASE at least 3 s.");
        }
        settings = new Settings(fps, maxWidth, lease, context.configDuration("PREVIEW_LINGER", d.linger()),
                Math.max(1, context.configInt("MAX_VIEWERS_PER_CAMERA", d.maxViewersPerCamera())),
                Math.max(1, context.configInt("MAX_LIVE_VIEWERS", d.maxViewers())));
        held.add(scheduler.every(Duration.ofSeconds(1), this::tick));
        // The camera's agent went away or the camera was removed: its viewers' streams end (the page shows that).
        held.add(events.subscribe("client.disconnected", event -> endAll(event.clientUuid(), null)));
        held.add(events.subscribe("cctv-cameras.camera_removed", event -> {
            Object camera = event.data().get("camera_id");
            if (camera instanceof String id) {
                endAll(event.clientUuid(), id);
            }
        }));
    }

    @Override
    public void stop() {
        held.forEach(Registration::close);
        held.clear();
        upstreams.values().forEach(up -> up.end(true));
        upstreams.clear();
    }

    /**
     * Reserves a place for one viewer and makes sure the agent sends frames: completes once the upstream
     * runs (at once when it already does), or fails with the agent's error (404 unknown camera, 503
     * offline, 504 no answer). The viewer must then {@link Viewer#attach} a sink or {@link Viewer#leave}.
     */
    CompletionStage<Viewer> join(String clientUuid, String cameraId, String requestedBy) {
        Key key = new Key(clientUuid, cameraId);
        int total = upstreams.values().stream().mapToInt(Upstream::viewerCount).sum();
        if (total >= settings.maxViewers()) {
            return CompletableFuture.failedFuture(ApiException.unavailable("TOO_MANY_VIEWERS", "This server already serves "
                    + settings.maxViewers() + " live views, the most it serves (cctv-cameras.MAX_LIVE_VIEWERS)."));
        }
        while (true) {
            Upstream upstream = upstreams.computeIfAbsent(key, k -> new Upstream(k, requestedBy));
            Viewer viewer;
            try {
                viewer = upstream.reserve(requestedBy == null ? "viewer" : requestedBy);
            } catch (ApiException full) {
                return CompletableFuture.failedFuture(full);
            }
            if (viewer == null) { // that upstream was just ending: make a new one
                upstreams.remove(key, upstream);
                continue;
            }
            upstream.startOnce();
            return upstream.started.thenApply(ignored -> viewer).whenComplete((v, error) -> {
                if (error != null) {
                    viewer.leave();
                }
            });
        }
    }

    /** Upstreams running now (for tests and the status of the plugin). */
    int upstreamCount() {
        return upstreams.size();
    }

    @Override
    public void onLiveFrame(String clientUuid, String stream, byte[] frame) {
        if (!stream.startsWith(STREAM_PREFIX)) {
            return;
        }
        Upstream upstream = upstreams.get(new Key(clientUuid, stream.substring(STREAM_PREFIX.length())));
        // Only a JPEG goes to the browsers (an <img> shows nothing else); a frame of a camera nobody watches is dropped.
        if (upstream != null && frame.length > 3 && (frame[0] & 0xFF) == 0xFF && (frame[1] & 0xFF) == 0xD8) {
            upstream.publish(frame);
        }
    }

    private void tick() {
        long now = System.nanoTime();
        for (Upstream upstream : upstreams.values()) {
            upstream.tick(now);
        }
    }

    private void endAll(String clientUuid, String cameraId) {
        if (clientUuid == null) {
            return;
        }
        upstreams.forEach((key, upstream) -> {
            if (key.clientUuid().equals(clientUuid) && (cameraId == null || key.cameraId().equals(cameraId))) {
                upstream.end(false);
            }
        });
    }

    private CompletionStage<Object> previewStart(Key key, String requestedBy) {
        Settings s = settings;
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("camera_id", key.cameraId());
        params.put("fps", s.fps());
        params.put("max_width", s.maxWidth());
        params.put("lease_seconds", s.lease().toSeconds());
        return CctvCalls.mapFailures(commands.request(key.clientUuid(), "cctv_preview_start").params(params)
                .timeout(Duration.ofSeconds(15)).requestedBy(requestedBy).send());
    }

    /**
     * One viewer: a subscriber of its upstream's {@link FrameFanOut} (video-sources' fan-out, the one the
     * server's video sources and the agents' cameras use) that writes each frame to its MJPEG sink.
     */
    final class Viewer extends FanOutSubscriber<VideoFrame> {
        private final Upstream upstream;
        private final long reservedAtNanos = System.nanoTime();
        private volatile StreamSink sink;

        private Viewer(Upstream upstream, String name) {
            super(upstream.fanOut, "mjpeg", name);
            this.upstream = upstream;
        }

        /** Starts sending frames to {@code sink} (with the newest frame at once); leaves when the sink closes. */
        void attach(StreamSink target) {
            sink = target;
            target.onClose(this::leave);
            VideoFrame newest = upstream.newest;
            if (newest != null) {
                offer(newest);
            }
        }

        /** Never blocks: the sink keeps the newest parts up to its byte bound and counts what it dropped. */
        @Override
        protected void offer(VideoFrame frame) {
            StreamSink target = sink;
            if (target == null) {
                return; // reserved, not yet attached
            }
            if (target.send("image/jpeg", frame.sharedBytes())) {
                delivered.incrementAndGet();
            } else {
                leave();
            }
        }

        @Override
        public long dropped() {
            StreamSink target = sink;
            return target == null ? 0 : target.droppedParts();
        }

        void leave() {
            close();
        }

        @Override
        protected void closed() {
            StreamSink target = sink;
            if (target != null) {
                target.close();
            }
            upstream.left();
        }
    }

    /** One (agent, camera) preview and its viewers. */
    private final class Upstream {
        final Key key;
        final CompletableFuture<Void> started = new CompletableFuture<>();
        final FrameFanOut<VideoFrame> fanOut = new FrameFanOut<>();
        final String requestedBy;
        volatile VideoFrame newest;
        private long sequence;
        private boolean ending;
        private long lastStartNanos;
        private long emptySinceNanos;
        private boolean renewing;
        private final java.util.concurrent.atomic.AtomicBoolean starting = new java.util.concurrent.atomic.AtomicBoolean();

        Upstream(Key key, String requestedBy) {
            this.key = key;
            this.requestedBy = requestedBy;
        }

        /** Sends the first cctv_preview_start (outside the map's update: its failure removes this upstream). */
        void startOnce() {
            if (!starting.compareAndSet(false, true)) {
                return;
            }
            synchronized (this) {
                lastStartNanos = System.nanoTime();
            }
            previewStart(key, requestedBy).whenComplete((answer, error) -> {
                if (error == null) {
                    started.complete(null);
                } else {
                    started.completeExceptionally(Failures.unwrap(error));
                    end(false);
                }
            });
        }

        synchronized Viewer reserve(String name) {
            if (ending) {
                return null;
            }
            if (fanOut.size() >= settings.maxViewersPerCamera()) {
                throw ApiException.unavailable("TOO_MANY_VIEWERS", "The camera '" + key.cameraId() + "' already has "
                        + settings.maxViewersPerCamera() + " live viewers, the most it serves (cctv-cameras.MAX_VIEWERS_PER_CAMERA).");
            }
            return fanOut.add(new Viewer(this, name));
        }

        int viewerCount() {
            return fanOut.size();
        }

        /** A viewer left (it is out of the fan-out already). */
        void left() {
            synchronized (this) {
                if (fanOut.isEmpty()) {
                    emptySinceNanos = System.nanoTime();
                }
            }
            if (settings.linger().isZero()) {
                tick(System.nanoTime());
            }
        }

        void publish(byte[] jpeg) {
            VideoFrame frame;
            synchronized (this) { // one frame object for every viewer, numbered as the lane delivers them
                frame = new VideoFrame(key.clientUuid() + "/" + key.cameraId(), ++sequence, System.currentTimeMillis(), jpeg);
            }
            newest = frame;
            fanOut.publish(frame);
        }

        void tick(long now) {
            for (FanOutSubscriber<VideoFrame> subscriber : fanOut.subscribers()) {
                // a place never taken (a HEAD request, a browser gone before the head)
                if (subscriber instanceof Viewer viewer && viewer.sink == null && now - viewer.reservedAtNanos > UNATTACHED_NANOS) {
                    viewer.leave();
                }
            }
            boolean stop;
            boolean renew;
            synchronized (this) {
                if (ending || !started.isDone()) {
                    return;
                }
                stop = fanOut.isEmpty() && now - emptySinceNanos >= settings.linger().toNanos();
                renew = !stop && !renewing && now - lastStartNanos >= settings.lease().toNanos() / 3;
                if (renew) {
                    renewing = true;
                    lastStartNanos = now;
                }
            }
            if (stop) {
                end(true);
            } else if (renew) {
                previewStart(key, "plugin:cctv-cameras").whenComplete((answer, error) -> {
                    synchronized (this) {
                        renewing = false;
                    }
                    Throwable cause = error == null ? null : Failures.unwrap(error);
                    if (cause instanceof ApiException api && api.status() == 404) {
                        LOG.info("[cctv-cameras] Live view of '{}' on {} ended: {}", key.cameraId(), key.clientUuid(), api.getMessage());
                        end(false); // the camera is gone: its viewers end
                    } else if (cause != null) {
                        LOG.debug("[cctv-cameras] Renewing the preview of '{}' on {} failed: {}", key.cameraId(),
                                key.clientUuid(), cause.toString());
                    }
                });
            }
        }

        /** Ends the upstream and its viewers; {@code tellAgent}: send cctv_preview_stop (the agent may be gone). */
        void end(boolean tellAgent) {
            synchronized (this) {
                if (ending) {
                    return;
                }
                ending = true;
            }
            upstreams.remove(key, this);
            fanOut.closeAll();
            if (tellAgent && started.isDone() && !started.isCompletedExceptionally()) {
                commands.request(key.clientUuid(), "cctv_preview_stop").params(Map.of("camera_id", key.cameraId()))
                        .timeout(Duration.ofSeconds(10)).send().whenComplete((answer, error) -> {
                            if (error != null) {
                                LOG.debug("[cctv-cameras] cctv_preview_stop for '{}' on {} failed: {}", key.cameraId(),
                                        key.clientUuid(), Failures.unwrap(error).toString());
                            }
                        });
            }
        }
    }
}
