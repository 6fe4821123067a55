package org.classtop.core.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The plugins' task pool: threads only when needed, up to its limit, then a bounded queue, then a refusal. */
class GrowingPoolTest {
    private ThreadPoolExecutor pool;

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void tasksOneAfterTheOtherReuseOneThread() throws Exception {
        pool = PluginScopedServices.growingPool(16, 100, Thread::new);
        Set<Thread> used = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 50; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            pool.execute(() -> {
                used.add(Thread.currentThread());
                ran.countDown();
            });
            assertTrue(ran.await(5, TimeUnit.SECONDS));
            awaitIdle();
        }
        assertEquals(1, used.size(), "an idle thread takes the next task");
        assertEquals(1, pool.getLargestPoolSize());
    }

    @Test
    void blockedTasksGrowThePoolToItsLimitThenQueueThenAreRefused() throws Exception {
        pool = PluginScopedServices.growingPool(4, 2, Thread::new);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(4);
        Runnable blocking = () -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        for (int i = 0; i < 4; i++) {
            pool.execute(blocking);
        }
        assertTrue(started.await(5, TimeUnit.SECONDS), "four busy tasks, four threads");
        assertEquals(4, pool.getPoolSize());

        pool.execute(() -> { });
        pool.execute(() -> { });
        assertEquals(2, pool.getQueue().size(), "no fifth thread: the limit is 4, so two tasks wait");
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }), "and the queue's room is 2");

        release.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        assertEquals(6, pool.getCompletedTaskCount());
    }

    private void awaitIdle() throws InterruptedException {
        for (int i = 0; i < 500 && pool.getActiveCount() > 0; i++) {
            Thread.sleep(1);
        }
    }
}
