package org.classtop.plugins.videosources.fanout;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The pool {@link MailboxSubscriber}s are drained on: daemon threads, idle ones end after 30 s. */
public final class DeliveryPool {
    private DeliveryPool() {
    }

    /** {@code threads} daemon threads named {@code <prefix>-N}; shut it down when the owner stops. */
    public static ThreadPoolExecutor create(String prefix, int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
