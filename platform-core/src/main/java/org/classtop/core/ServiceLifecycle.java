package org.classtop.core;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's start and stop order in one place: services start in the order they are registered
 * and stop in reverse; each stop is guarded (a failing one is logged and the others still run); a
 * start that fails stops everything started before it, then rethrows.
 */
final class ServiceLifecycle {
    /** A stop step that takes this long is logged at INFO (where a slow shutdown spends its time). */
    private static final long SLOW_STOP_MILLIS = 500;

    private static final Logger LOG = LoggerFactory.getLogger(ServiceLifecycle.class);

    /** A start or stop action that may throw. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /** Opens a service (a database, a listener) and returns it. */
    @FunctionalInterface
    interface Opener<T> {
        T open() throws Exception;
    }

    private record Stop(String name, Action action) {
    }

    private final Deque<Stop> stops = new ArrayDeque<>();

    /**
     * Runs {@code start}; {@code stop} (null for none) runs at {@link #stopAll()}, also when
     * {@code start} failed half-way, so it must cope with a partial start.
     */
    synchronized void start(String name, Action start, Action stop) {
        if (stop != null) {
            stops.push(new Stop(name, stop));
        }
        run(name, start);
    }

    /**
     * Registers how to stop something started by the caller itself (or with nothing to start): it
     * runs before everything registered earlier stops, and after everything registered later.
     */
    synchronized void onStop(String name, Action stop) {
        stops.push(new Stop(name, stop));
    }

    /** Opens a service; {@code close} is registered only once it is open. */
    synchronized <T> T open(String name, Opener<T> opener, Consumer<T> close) {
        T service;
        try {
            service = opener.open();
        } catch (Exception e) {
            throw failed(name, e);
        }
        stops.push(new Stop(name, () -> close.accept(service)));
        return service;
    }

    private void run(String name, Action start) {
        try {
            start.run();
        } catch (Exception e) {
            throw failed(name, e);
        }
    }

    /** Stops what started; answers what to throw: {@code e} itself, or a checked one wrapped. */
    private RuntimeException failed(String name, Exception e) {
        LOG.error("Starting {} failed: {}; stopping what started", name, e.toString());
        stopAll();
        if (e instanceof RuntimeException runtime) {
            return runtime;
        }
        return new IllegalStateException("Starting " + name + " failed: " + e.getMessage(), e);
    }

    /** Stops every registered service, the last registered first; idempotent. */
    synchronized void stopAll() {
        while (!stops.isEmpty()) {
            Stop stop = stops.pop();
            long began = System.nanoTime();
            try {
                stop.action().run();
                long millis = (System.nanoTime() - began) / 1_000_000;
                if (millis >= SLOW_STOP_MILLIS) {
                    LOG.info("Stopped {} in {} ms", stop.name(), millis);
                } else {
                    LOG.debug("Stopped {} in {} ms", stop.name(), millis);
                }
            } catch (Exception e) {
                LOG.warn("Error while stopping {}: {}", stop.name(), e.toString());
            }
        }
    }
}
