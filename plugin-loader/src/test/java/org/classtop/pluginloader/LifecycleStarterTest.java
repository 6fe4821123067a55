package org.classtop.pluginloader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.classtop.api.Lifecycle;
import org.junit.jupiter.api.Test;

/** A lifecycle start on its own thread: its failure comes back as is, a start that hangs is given up and interrupted. */
class LifecycleStarterTest {
    @Test
    void aFailingStartThrowsItsOwnException() {
        IllegalStateException failure = new IllegalStateException("no database");
        Lifecycle failing = new Lifecycle() {
            @Override
            public void start() {
                throw failure;
            }

            @Override
            public void stop() {
            }
        };
        assertSame(failure, assertThrows(IllegalStateException.class,
                () -> new LifecycleStarter(Duration.ofSeconds(5)).start("x", failing)));
    }

    @Test
    void aHangingStartIsGivenUpInterruptedAndStoppedIfItReturnsLater() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Lifecycle stubborn = new Lifecycle() {
            @Override
            public void start() {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    interrupted.countDown(); // returns normally after all
                }
            }

            @Override
            public void stop() {
                stopped.countDown();
            }
        };
        IllegalStateException given = assertThrows(IllegalStateException.class,
                () -> new LifecycleStarter(Duration.ofMillis(150)).start("slowpoke", stubborn));
        assertEquals("Plugin 'slowpoke' did not start within 150 ms (its lifecycle " + stubborn.getClass().getName()
                + "); it is skipped.", given.getMessage());
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "its thread was interrupted");
        assertTrue(stopped.await(5, TimeUnit.SECONDS), "a start that returned after being given up is stopped");
        assertEquals("30 s", LifecycleStarter.describe(LifecycleStarter.DEFAULT_TIMEOUT));
        assertEquals("1.5 s", LifecycleStarter.describe(Duration.ofMillis(1500)));
    }
}
