package org.classtop.agent;

import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline (no fixed sleeps). */
final class Poll {
    private Poll() {
    }

    static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
