package org.classtop.plugins.cctv.cameras.agent;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Consumer;
import org.classtop.api.Lifecycle;
import org.classtop.api.Registration;
import org.classtop.api.Scheduler;
import org.classtop.api.agent.AgentContext;
import org.classtop.api.agent.CommandException;
import org.classtop.plugins.cctv.cameras.CameraFeeds;
import org.classtop.plugins.cctv.cameras.CameraView;
import org.classtop.plugins.videosources.fanout.DeliveryPool;
import org.classtop.plugins.videosources.fanout.FanOutSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cameras of this agent: loads the saved ones at start, adds and removes them (saved at once), and is the
 * {@link CameraFeeds} service exported to cctv-recording, cctv-storage and third parties.
 */
@Singleton
public final class CameraService implements CameraFeeds, Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(CameraService.class);

    private final CameraSettings settings;
    private final CameraStore store;
    private final AgentContext agent;
    private final Scheduler scheduler;
    private final Map<String, Camera> cameras = new LinkedHashMap<>();
    private final List<Consumer<String>> removedListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> tickers = new CopyOnWriteArrayList<>();
    private volatile ThreadPoolExecutor pool;
    private Registration ticker;

    @Inject
    CameraService(CameraSettings settings, CameraStore store, AgentContext agent, Scheduler scheduler) {
        this.settings = settings;
        this.store = store;
        this.agent = agent;
        this.scheduler = scheduler;
    }

    @Override
    public void start() {
        pool = DeliveryPool.create("cctv-cameras-delivery", settings.deliveryThreads);
        List<Camera> loaded = new ArrayList<>();
        synchronized (this) {
            for (CameraSpec spec : store.load()) {
                if (cameras.containsKey(spec.cameraId()) || !Errors.ID.matcher(spec.cameraId()).matches()) {
                    LOG.warn("[cctv-cameras] Skipping a saved camera with a bad or repeated id '{}'.", spec.cameraId());
                    continue;
                }
                Camera camera = new Camera(spec, settings, listener);
                cameras.put(spec.cameraId(), camera);
                loaded.add(camera);
            }
        }
        loaded.forEach(Camera::start);
        ticker = scheduler.every(Duration.ofSeconds(1), this::tick);
        LOG.info("[cctv-cameras] {} camera(s) loaded.", loaded.size());
        if (!loaded.isEmpty()) {
            agent.stateChanged();
        }
    }

    @Override
    public void stop() {
        if (ticker != null) {
            ticker.close();
        }
        List<Camera> all;
        synchronized (this) {
            all = new ArrayList<>(cameras.values());
            cameras.clear();
        }
        all.forEach(Camera::stop);
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private void tick() {
        all().forEach(Camera::tick);
        tickers.forEach(Runnable::run);
    }

    /** Runs {@code task} every second with the camera rates (preview leases use it). */
    void everySecond(Runnable task) {
        tickers.add(task);
    }

    private final Camera.Listener listener = new Camera.Listener() {
        @Override
        public void connected(Camera camera) {
            LOG.info("[cctv-cameras] Camera '{}' connected ({}x{}).", camera.id(), camera.frameWidth(), camera.frameHeight());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("camera_id", camera.id());
            data.put("width", camera.frameWidth());
            data.put("height", camera.frameHeight());
            agent.emit("camera_connected", data);
            agent.stateChanged();
        }

        @Override
        public void failed(Camera camera, String error, boolean firstOfEpisode) {
            if (firstOfEpisode) {
                agent.emit("camera_failed", Map.of("camera_id", camera.id(), "error", error));
                agent.stateChanged();
            }
        }
    };

    // ---- commands ----

    /** Adds, saves and starts a camera. */
    Camera add(CameraSpec spec) {
        Camera camera;
        synchronized (this) {
            if (cameras.containsKey(spec.cameraId())) {
                throw CommandException.withCode("CAMERA_EXISTS", "A camera with the id '" + spec.cameraId() + "' already exists on this client.");
            }
            CameraSpec.Kind kind = spec.kind();
            if (kind == CameraSpec.Kind.V4L2 || kind == CameraSpec.Kind.DSHOW || kind == CameraSpec.Kind.AVFOUNDATION) {
                for (Camera other : cameras.values()) {
                    if (other.spec().source().equals(spec.source())) { // a device opens once: a second grabber would fail
                        throw CommandException.withCode("BAD_SOURCE", "The device '" + Errors.quote(spec.source())
                                + "' is already camera '" + other.id() + "' on this client.");
                    }
                }
            }
            if (cameras.size() >= settings.maxCameras) {
                throw CommandException.withCode("TOO_MANY_CAMERAS", "This client already has " + settings.maxCameras
                        + " cameras, the most it holds (cctv-cameras.MAX_CAMERAS).");
            }
            List<CameraSpec> specs = new ArrayList<>(cameras.values().stream().map(Camera::spec).toList());
            specs.add(spec);
            store.save(specs);
            camera = new Camera(spec, settings, listener);
            cameras.put(spec.cameraId(), camera);
        }
        camera.start();
        LOG.info("[cctv-cameras] Camera '{}' added: {}", spec.cameraId(), spec.source());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("camera_id", spec.cameraId());
        data.put("name", spec.name());
        data.put("source", spec.source());
        agent.emit("camera_added", data);
        agent.stateChanged();
        return camera;
    }

    /** Removes a camera for good: its grabber stops, every subscription ends, the listeners hear of it. */
    void remove(String cameraId) {
        Camera camera;
        synchronized (this) {
            camera = cameras.get(cameraId);
            if (camera == null) {
                throw Errors.notFound(cameraId);
            }
            List<CameraSpec> specs = new ArrayList<>(cameras.values().stream().map(Camera::spec).toList());
            specs.remove(camera.spec());
            store.save(specs);
            cameras.remove(cameraId);
        }
        camera.stop();
        for (Consumer<String> removed : removedListeners) {
            try {
                removed.accept(cameraId);
            } catch (RuntimeException e) {
                LOG.warn("[cctv-cameras] A listener of camera removals failed: {}", e.toString());
            }
        }
        LOG.info("[cctv-cameras] Camera '{}' removed.", cameraId);
        agent.emit("camera_removed", Map.of("camera_id", cameraId));
        agent.stateChanged();
    }

    /** The camera, or CAMERA_NOT_FOUND. */
    synchronized Camera require(String cameraId) {
        Camera camera = cameras.get(cameraId);
        if (camera == null) {
            throw Errors.notFound(cameraId);
        }
        return camera;
    }

    synchronized List<Camera> all() {
        return new ArrayList<>(cameras.values());
    }

    synchronized Optional<Camera> find(String cameraId) {
        return Optional.ofNullable(cameras.get(cameraId));
    }

    CameraSettings settings() {
        return settings;
    }

    // ---- views ----

    /** The camera view of the contract (answers and the cctv_state section). */
    Map<String, Object> view(Camera camera, String streamingUrl) {
        CameraSpec spec = camera.spec();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("camera_id", spec.cameraId());
        view.put("name", spec.name());
        view.put("source", spec.source());
        view.put("width", camera.frameWidth() > 0 ? camera.frameWidth() : spec.width());
        view.put("height", camera.frameHeight() > 0 ? camera.frameHeight() : spec.height());
        view.put("fps", spec.fps());
        view.put("connected", camera.connected());
        view.put("measured_fps", camera.measuredFps());
        boolean recording = false;
        boolean streaming = false;
        List<Map<String, Object>> consumers = new ArrayList<>();
        for (FanOutSubscriber<?> subscriber : camera.fanOut().subscribers()) {
            if (subscriber instanceof FeedConsumer consumer) {
                recording |= consumer.role() == ConsumerRole.RECORDER;
                streaming |= consumer.role() == ConsumerRole.STREAMER;
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", subscriber.name());
            item.put("role", subscriber.kind());
            item.put("delivered", subscriber.delivered());
            item.put("dropped", subscriber.dropped());
            consumers.add(item);
        }
        view.put("recording", recording);
        view.put("streaming", streaming);
        view.put("streaming_url", streaming ? streamingUrl : null);
        view.put("last_error", camera.lastError());
        view.put("last_error_at", camera.lastErrorAt() > 0 ? Instant.ofEpochMilli(camera.lastErrorAt()).toString() : null);
        view.put("frames", camera.frames());
        view.put("opens", camera.opens());
        view.put("consumers", consumers);
        return view;
    }

    // ---- CameraFeeds ----

    @Override
    public List<CameraView> cameras() {
        return all().stream().map(CameraService::record).toList();
    }

    @Override
    public Optional<CameraView> camera(String cameraId) {
        return find(cameraId).map(CameraService::record);
    }

    private static CameraView record(Camera camera) {
        CameraSpec spec = camera.spec();
        return new CameraView(spec.cameraId(), spec.name(), spec.source(), spec.width(), spec.height(), spec.fps(),
                camera.connected(), camera.measuredFps(), camera.lastError());
    }

    @Override
    public FeedSubscription subscribe(String cameraId, String name, ConsumerRole role, CameraFrameConsumer consumer) {
        Camera camera = find(cameraId).orElseThrow(() -> new NoSuchElementException("There is no camera '" + cameraId + "'."));
        ThreadPoolExecutor delivery = pool;
        if (delivery == null) {
            throw new IllegalStateException("The cctv-cameras plugin has not started yet: subscribe from your lifecycle's start().");
        }
        if (camera.fanOut().size() >= settings.maxConsumers) {
            throw new IllegalStateException("The camera '" + cameraId + "' already has " + settings.maxConsumers
                    + " consumers, the most it serves (cctv-cameras.MAX_CONSUMERS).");
        }
        ConsumerRole kind = role == null ? ConsumerRole.OTHER : role;
        boolean announces = kind == ConsumerRole.RECORDER || kind == ConsumerRole.STREAMER;
        FeedConsumer subscription = new FeedConsumer(
                camera, name == null || name.isBlank() ? kind.name().toLowerCase(java.util.Locale.ROOT) : name, kind, consumer,
                delivery, settings.consumerQueue, announces ? agent::stateChanged : () -> { });
        camera.fanOut().add(subscription);
        if (announces) {
            agent.stateChanged();
        }
        return subscription;
    }

    @Override
    public Registration onCameraRemoved(Consumer<String> listener) {
        removedListeners.add(listener);
        return () -> removedListeners.remove(listener);
    }
}
