package org.classtop.agent;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.classtop.api.Registration;
import org.classtop.api.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Scheduler} of one plugin, on the runtime's plugin task threads; closing it cancels its tasks. */
final class PluginScheduler implements Scheduler, Registration {
    private static final Logger LOG = LoggerFactory.getLogger(PluginScheduler.class);

    private final String pluginId;
    private final ScheduledExecutorService executor;
    private final Set<Future<?>> scheduled = new HashSet<>();
    private boolean closed;

    PluginScheduler(String pluginId, ScheduledExecutorService executor) {
        this.pluginId = pluginId;
        this.executor = executor;
    }

    @Override
    public Registration every(Duration period, Runnable task) {
        long millis = requirePositive(period, "every");
        requireRunning();
        return track(executor.scheduleWithFixedDelay(guarded(task), millis, millis, TimeUnit.MILLISECONDS));
    }

    @Override
    public Registration after(Duration delay, Runnable task) {
        long millis = Math.max(0, delay.toMillis());
        requireRunning();
        return track(executor.schedule(guarded(task), millis, TimeUnit.MILLISECONDS));
    }

    private synchronized void requireRunning() {
        if (closed) {
            throw new IllegalStateException("Plugin '" + pluginId + "' has stopped: it can schedule nothing.");
        }
    }

    private synchronized Registration track(Future<?> future) {
        if (closed) {
            future.cancel(false);
            requireRunning();
        }
        scheduled.removeIf(Future::isDone);
        scheduled.add(future);
        return () -> {
            future.cancel(false);
            synchronized (this) {
                scheduled.remove(future);
            }
        };
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Plugin '{}': a scheduled task failed", pluginId, e);
            }
        };
    }

    private static long requirePositive(Duration period, String what) {
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException(what + "(..) needs a positive period, not " + period + ".");
        }
        return Math.max(1, period.toMillis());
    }

    /** The plugin stopped: every task of it is cancelled (a running one finishes). */
    @Override
    public synchronized void close() {
        closed = true;
        scheduled.forEach(future -> future.cancel(false));
        scheduled.clear();
    }
}
