package org.classtop.plugins.cctv.recording.agent;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.classtop.api.Lifecycle;

/** The threads that send recordings to the server: at most {@link #THREADS} at once, none waiting in a queue. */
final class FileReads implements Lifecycle {
    static final int THREADS = 4;
    static final int CHUNK = 256 * 1024;
    static final Duration CREDIT_TIMEOUT = Duration.ofSeconds(30);

    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(0, THREADS, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "cctv-recording-read");
                t.setDaemon(true);
                return t;
            });

    @Override
    public void start() {
    }

    /** False when every thread is busy. */
    boolean submit(Runnable send) {
        try {
            executor.execute(send);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
