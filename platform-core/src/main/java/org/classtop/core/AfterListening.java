package org.classtop.core;

import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work that is needed soon but not to listen: it runs once the server listens (at once when it already does), so
 * that on a one-core server it does not share the core with the start. Tasks run in the order given, each on the
 * thread that opened the gate (the start's) or registered it (later): a task starts its own thread when it
 * is long.
 */
@Singleton
public final class AfterListening {
    private static final Logger LOG = LoggerFactory.getLogger(AfterListening.class);

    private List<Runnable> waiting = new ArrayList<>();

    /** Runs {@code task} once the server listens; now when it already does. */
    public void run(Runnable task) {
        synchronized (this) {
            if (waiting != null) {
                waiting.add(task);
                return;
            }
        }
        runQuietly(task);
    }

    /** The server listens: runs what waited. Servers embedded without a listener call it too, after their start. */
    public void open() {
        List<Runnable> tasks;
        synchronized (this) {
            tasks = waiting;
            waiting = null;
        }
        if (tasks != null) {
            tasks.forEach(AfterListening::runQuietly);
        }
    }

    private static void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("A task after the start failed: {}", e.toString(), e);
        }
    }
}
