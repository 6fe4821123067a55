package org.classtop.api;

/**
 * A service a plugin runs for as long as it is started (a poller, a grabber, a cache).
 * Declared with {@code lifecycle(MyService.class)}; the platform calls {@link #start()} after every
 * plugin has been wired and {@link #stop()} in reverse order on shutdown. Never do I/O in a
 * constructor or in {@code configure()}: do it here.
 */
public interface Lifecycle {
    void start() throws Exception;

    default void stop() throws Exception {
    }
}
