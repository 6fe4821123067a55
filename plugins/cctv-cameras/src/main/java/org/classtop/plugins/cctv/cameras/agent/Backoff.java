package org.classtop.plugins.cctv.cameras.agent;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/** Jittered exponential backoff: min, 2·min, 4·min … up to max, each drawn from [half, whole]. */
final class Backoff {
    private final long minMillis;
    private final long maxMillis;

    Backoff(Duration min, Duration max) {
        this.minMillis = Math.max(1, min.toMillis());
        this.maxMillis = Math.max(minMillis, max.toMillis());
    }

    /**
     * The wait before the next attempt after {@code failedAttempts} failures in a row (1 for the first).
     *
     * @param random given a bound n, a number from 0 to n inclusive
     */
    long delayMillis(int failedAttempts, LongUnaryOperator random) {
        int doublings = Math.min(30, Math.max(0, failedAttempts - 1));
        long base = minMillis << doublings;
        long capped = base <= 0 || base > maxMillis ? maxMillis : base;
        return capped - capped / 2 + random.applyAsLong(capped / 2);
    }

    /** The largest wait the n-th failure can give (for tests and documentation). */
    long ceilingMillis(int failedAttempts) {
        return delayMillis(failedAttempts, bound -> bound);
    }

    long floorMillis(int failedAttempts) {
        return delayMillis(failedAttempts, bound -> 0);
    }
}
