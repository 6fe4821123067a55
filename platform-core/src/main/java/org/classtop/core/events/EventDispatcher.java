package org.classtop.core.events;

import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.classtop.api.Event;
import org.classtop.api.EventListener;
import org.classtop.api.Registration;
import org.classtop.api.server.Events;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to plugin listeners and to watchers (such as browsers) on one dispatch thread,
 * off the I/O threads. The queue is bounded: when listeners fall far behind, new events are
 * dropped with a warning instead of stalling the agents' connections.
 */
@Singleton
public final class EventDispatcher implements Events, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);
    private static final int QUEUE_CAPACITY = 50_000;

    private record Subscription(String owner, String pattern, EventListener listener) {
        boolean matches(String name) {
            if (pattern.equals("*")) {
                return true;
            }
            if (pattern.endsWith(".*")) {
                return name.startsWith(pattern.substring(0, pattern.length() - 1));
            }
            return pattern.equals(name);
        }
    }

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<Consumer<Event>> watchers = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(QUEUE_CAPACITY), r -> {
                Thread t = new Thread(r, "classtop-events");
                t.setDaemon(true);
                return t;
            });
    private volatile long lastDropWarning;

    public Registration listen(String owner, String pattern, EventListener listener) {
        if (pattern == null || pattern.isBlank() || pattern.indexOf('*') >= 0 && !pattern.equals("*") && !pattern.endsWith(".*")
                || pattern.indexOf('*') != pattern.lastIndexOf('*')) {
            throw new IllegalArgumentException("The event pattern '" + pattern
                    + "' is not an event name, 'prefix.*' or '*'.");
        }
        Subscription subscription = new Subscription(owner, pattern, listener);
        subscriptions.add(subscription);
        return () -> subscriptions.remove(subscription);
    }

    /** {@link Events#subscribe} without a plugin's scope (a plugin gets one that ends with it, see PluginScopedServices). */
    @Override
    public Registration subscribe(String pattern, EventListener listener) {
        return listen("core", pattern, listener);
    }

    /** A watcher sees every event (the live feed of the admin UI); it must not block. */
    public Registration watch(Consumer<Event> watcher) {
        watchers.add(watcher);
        return () -> watchers.remove(watcher);
    }

    @Override
    public void publish(Event event) {
        try {
            executor.execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            long now = System.currentTimeMillis();
            if (now - lastDropWarning > 10_000) {
                lastDropWarning = now;
                LOG.warn("Event listeners are {} events behind; dropping {}", QUEUE_CAPACITY, event.name());
            }
        }
    }

    private void deliver(Event event) {
        for (Consumer<Event> watcher : watchers) {
            try {
                watcher.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("Event watcher failed on {}: {}", event.name(), e.toString());
            }
        }
        for (Subscription s : subscriptions) {
            if (s.matches(event.name())) {
                try {
                    s.listener().onEvent(event);
                } catch (Exception | LinkageError e) { // a plugin's listener never stops the delivery to the others
                    LOG.warn("[{}] listener {} failed on {}", s.owner(), s.listener().getClass().getSimpleName(), event.name(), e);
                }
            }
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
