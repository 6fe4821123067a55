package org.classtop.core;

import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work that is needed soon but not to listen: it runs once the server listens (at once when it already does), so
 * that on a one-core server it does not share the core with the start. Tasks run in the order given, each on the
 * thread that opened the gate (the start's) or registered it (later): a task starts its own thread when it
 * is long, and {@linkplain #track tracks} it: {@link #settled()} tells when the start's own work is all done.
 */
@Singleton
public final class AfterListening {
    private static final Logger LOG = LoggerFactory.getLogger(AfterListening.class);

    private List<Runnable> waiting = new ArrayList<>();
    /** Background work of the tasks that ran at {@link #open()}; null once {@link #settled} was decided. */
    private List<CompletionStage<?>> tracked = new ArrayList<>();
    private final CompletableFuture<Void> settled = new CompletableFuture<>();

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
        List<CompletionStage<?>> work;
        synchronized (this) {
            work = tracked;
            tracked = null;
        }
        if (work == null) {
            return;
        }
        // Failed work counts as done: settled() says when nothing of the start runs any more, not whether it worked.
        CompletableFuture.allOf(work.stream()
                        .map(stage -> stage.toCompletableFuture().handle((result, failure) -> null))
                        .toArray(CompletableFuture[]::new))
                .whenComplete((result, failure) -> settled.complete(null));
    }

    /**
     * Counts {@code work}, started by a task of the start, as part of the start: {@link #settled()} waits for it. Work
     * tracked after the start's tasks ran (a later plugin change, say) is not waited for.
     */
    public void track(CompletionStage<?> work) {
        synchronized (this) {
            if (tracked != null) {
                tracked.add(work);
            }
        }
    }

    /**
     * Completes once the server listens and the work of the start's tasks is done (the first admin's hash, the plugin
     * jars' digests, the warm-up): from then on the server only does what it is asked.
     */
    public CompletionStage<Void> settled() {
        return settled;
    }

    private static void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("A task after the start failed: {}", e.toString(), e);
        }
    }
}
