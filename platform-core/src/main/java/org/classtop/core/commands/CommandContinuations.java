package org.classtop.core.commands;

import jakarta.inject.Singleton;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads on which command stages complete, and so on which the HTTP answer is written and a plugin's
 * continuations ({@code thenApply}, {@code whenComplete}, ...) run: {@value #THREADS} daemon threads named
 * {@code classtop-command-N}, idle ones ending after 30 s. Never the storage writer (a continuation that
 * blocks there would stall every database write) and never an I/O thread. The queue holds at most one task
 * per command in flight, which the command time-outs bound.
 */
@Singleton
public final class CommandContinuations implements Executor, AutoCloseable {
    static final int THREADS = 8;

    private final ThreadPoolExecutor pool;

    public CommandContinuations() {
        AtomicInteger count = new AtomicInteger();
        pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "classtop-command-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, (task, executor) -> task.run()); // after close: the database's last commits complete inline
        pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    @Override
    public void close() {
        pool.shutdown();
    }
}
