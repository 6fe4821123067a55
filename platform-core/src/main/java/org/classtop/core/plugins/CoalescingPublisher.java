package org.classtop.core.plugins;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Publishes something about an id at most once per {@code period}: requests meanwhile coalesce into one that
 * leaves when the period is over. Publishing runs on its own thread, never on the caller's (an I/O thread).
 */
final class CoalescingPublisher implements AutoCloseable {
    private final Duration period;
    private final Consumer<String> publish;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "plugins-changed");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Long> lastSent = new HashMap<>();
    private final Set<String> waiting = new HashSet<>();

    CoalescingPublisher(Duration period, Consumer<String> publish) {
        this.period = period;
        this.publish = publish;
    }

    synchronized void request(String id) {
        if (!waiting.add(id)) {
            return;   // one is on its way and will show this change too
        }
        Long last = lastSent.get(id);
        long delay = last == null ? 0 : Math.max(0, last + period.toNanos() - System.nanoTime());
        try {
            timer.schedule(() -> send(id), delay, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            waiting.remove(id);
        }
    }

    private void send(String id) {
        synchronized (this) {
            waiting.remove(id);
            lastSent.put(id, System.nanoTime());
        }
        publish.accept(id);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
