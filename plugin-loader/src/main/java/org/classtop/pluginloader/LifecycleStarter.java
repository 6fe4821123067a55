package org.classtop.pluginloader;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.classtop.api.Lifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plugin's {@link Lifecycle#start()} on a thread of its own and gives up after a time, so one plugin
 * that hangs cannot keep the server (or the agent) from starting. A start given up is interrupted; should it
 * return later all the same, its lifecycle is stopped at once, since nobody else will stop it.
 */
public final class LifecycleStarter {
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleStarter.class);
    /** {@code --plugin-start-timeout} when not given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Duration timeout;

    public LifecycleStarter(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("The plugin start timeout must be positive, not " + timeout + ".");
        }
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Starts {@code lifecycle} of {@code pluginId}, waiting at most the timeout.
     *
     * @throws IllegalStateException with one sentence when it did not start in time
     * @throws Exception             what {@code start()} threw
     */
    public void start(String pluginId, Lifecycle lifecycle) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean givenUp = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        Thread thread = new Thread(() -> {
            try {
                lifecycle.start();
            } catch (Throwable t) {
                failure.set(t);
            }
            synchronized (done) {
                done.set(true);
            }
            if (givenUp.get() && failure.get() == null) {
                LOG.warn("[{}] {} started after it was given up: stopping it", pluginId, lifecycle.getClass().getName());
                try {
                    lifecycle.stop();
                } catch (Exception | LinkageError e) {
                    LOG.warn("[{}] stopping {} failed: {}", pluginId, lifecycle.getClass().getName(), e.toString());
                }
            }
        }, "plugin-start-" + pluginId);
        thread.setDaemon(true);
        thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        thread.start();
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Plugin '" + pluginId + "' was interrupted while starting.", e);
        }
        synchronized (done) {
            if (!done.get()) {
                givenUp.set(true);
                thread.interrupt();
                throw new IllegalStateException("Plugin '" + pluginId + "' did not start within " + describe(timeout)
                        + " (its lifecycle " + lifecycle.getClass().getName() + "); it is skipped.");
            }
        }
        Throwable thrown = failure.get();
        if (thrown instanceof Exception e) {
            throw e;
        }
        if (thrown instanceof Error e) {
            throw e;
        }
        if (thrown != null) {
            throw new IllegalStateException(thrown);
        }
    }

    /** "30 s", "1.5 s", "250 ms". */
    static String describe(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 == 0) {
            return millis / 1000 + " s";
        }
        return millis >= 1000 ? (millis / 1000.0) + " s" : millis + " ms";
    }
}
