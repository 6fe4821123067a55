package org.classtop.plugins.videosources;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ThreadPoolExecutor;
import org.classtop.api.Lifecycle;
import org.classtop.api.Registration;
import org.classtop.api.Scheduler;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.Events;
import org.classtop.api.video.FrameSubscriber;
import org.classtop.api.video.VideoFrame;
import org.classtop.api.video.VideoSourceStatus;
import org.classtop.api.video.VideoSources;
import org.classtop.api.video.VideoSubscription;
import org.classtop.plugins.videosources.fanout.DeliveryPool;
import org.classtop.plugins.videosources.fanout.FanOutSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sources of this server: loads them at start, adds and deletes them (persisted), and is the
 * {@link VideoSources} service other plugins inject.
 */
@Singleton
public final class VideoService implements VideoSources, Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(VideoService.class);

    private final VideoSettings settings;
    private final SourceStore store;
    private final Events events;
    private final Scheduler scheduler;
    private final Map<String, Source> sources = new LinkedHashMap<>();
    private ThreadPoolExecutor deliveryPool;
    private Registration ticker;

    @Inject
    VideoService(VideoSettings settings, SourceStore store, Events events, Scheduler scheduler) {
        this.settings = settings;
        this.store = store;
        this.events = events;
        this.scheduler = scheduler;
    }

    @Override
    public void start() throws Exception {
        deliveryPool = DeliveryPool.create("video-sources-delivery", settings.deliveryThreads);
        List<Source> loaded = new ArrayList<>();
        synchronized (this) {
            for (SourceStore.Row row : store.all()) {
                Source source = new Source(SourceSpec.stored(row.id(), row.url(), row.format()), settings, events, row.createdAt());
                sources.put(row.id(), source);
                loaded.add(source);
            }
        }
        loaded.forEach(Source::start);
        ticker = scheduler.every(Duration.ofSeconds(1), this::tick);
        LOG.info("[video-sources] {} source(s) loaded.", loaded.size());
    }

    @Override
    public void stop() {
        if (ticker != null) {
            ticker.close();
        }
        List<Source> all;
        synchronized (this) {
            all = new ArrayList<>(sources.values());
            sources.clear();
        }
        all.forEach(Source::stop);
        if (deliveryPool != null) {
            deliveryPool.shutdownNow();
        }
    }

    private void tick() {
        List<Source> all;
        synchronized (this) {
            all = new ArrayList<>(sources.values());
        }
        all.forEach(Source::tick);
    }

    /** Adds, persists and starts a source; 409 when the id is taken or the maximum is reached. */
    Source add(SourceSpec spec) {
        Source source;
        synchronized (this) {
            if (sources.containsKey(spec.id())) {
                throw ApiException.conflict("SOURCE_EXISTS", "A video source with the id '" + spec.id() + "' already exists.");
            }
            if (sources.size() >= settings.maxSources) {
                throw ApiException.conflict("TOO_MANY_SOURCES", "This server already has " + settings.maxSources
                        + " video sources, the most it holds (video-sources.MAX_SOURCES).");
            }
            long now = System.currentTimeMillis();
            store.insert(new SourceStore.Row(spec.id(), spec.url(), spec.format(), now));
            source = new Source(spec, settings, events, now);
            sources.put(spec.id(), source);
        }
        source.start();
        LOG.info("[video-sources] Source '{}' added: {}", spec.id(), spec.url());
        return source;
    }

    /** Deletes a source for good: its reading thread stops and its subscribers end. */
    Source delete(String id) {
        Source source;
        synchronized (this) {
            source = require(id);
            store.delete(id);
            sources.remove(id);
        }
        source.stop();
        LOG.info("[video-sources] Source '{}' deleted.", id);
        return source;
    }

    /** The source, or 404 SOURCE_NOT_FOUND. */
    synchronized Source require(String id) {
        Source source = sources.get(id);
        if (source == null) {
            throw ApiException.notFound("SOURCE_NOT_FOUND", "There is no video source '" + id + "'.");
        }
        return source;
    }

    /** The first source added (the seed's /internal/video/* paths), or 404 NO_SOURCE. */
    synchronized Source first() {
        return sources.values().stream().findFirst().orElseThrow(() -> ApiException.notFound("NO_SOURCE",
                "No video source has been added yet: add one with POST /api/video/sources."));
    }

    synchronized List<Source> all() {
        return new ArrayList<>(sources.values());
    }

    /** Subscribes a viewer of a route, refusing with 503 when the source has its most subscribers. */
    <S extends FanOutSubscriber<VideoFrame>> S attach(Source source, S subscriber) {
        checkRoom(source);
        source.add(subscriber);
        return subscriber;
    }

    void checkRoom(Source source) {
        if (source.subscriberCount() >= settings.maxSubscribersPerSource) {
            throw ApiException.unavailable("TOO_MANY_SUBSCRIBERS", "The video source '" + source.id() + "' already has "
                    + settings.maxSubscribersPerSource + " subscribers, the most it serves (video-sources.MAX_SUBSCRIBERS).");
        }
    }

    VideoSettings settings() {
        return settings;
    }

    // ---- VideoSources, the service other plugins inject ----

    @Override
    public List<String> ids() {
        return all().stream().map(Source::id).toList();
    }

    @Override
    public Optional<VideoSourceStatus> status(String sourceId) {
        return find(sourceId).map(Source::status);
    }

    @Override
    public Optional<VideoFrame> latest(String sourceId) {
        return find(sourceId).map(Source::latest);
    }

    @Override
    public VideoSubscription subscribe(String sourceId, String name, FrameSubscriber subscriber) {
        Source source = find(sourceId).orElseThrow(() -> new NoSuchElementException("There is no video source '" + sourceId + "'."));
        if (deliveryPool == null) {
            throw new IllegalStateException("The video-sources plugin has not started yet: subscribe from your lifecycle's start().");
        }
        return attach(source, new InProcessSubscriber(source, name == null ? "in-process" : name, subscriber, deliveryPool,
                settings.subscriberQueue));
    }

    private synchronized Optional<Source> find(String id) {
        return Optional.ofNullable(sources.get(id));
    }
}
