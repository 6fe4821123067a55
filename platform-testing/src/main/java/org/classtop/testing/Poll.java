package org.classtop.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline instead of sleeping a fixed time. */
public final class Poll {
    private Poll() {
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    public static <T> T value(String what, Duration timeout, Supplier<T> supplier, java.util.function.Predicate<T> accept) {
        Object[] last = new Object[1];
        until(what, timeout, () -> {
            T value = supplier.get();
            last[0] = value;
            return accept.test(value);
        });
        @SuppressWarnings("unchecked")
        T result = (T) last[0];
        return result;
    }
}
