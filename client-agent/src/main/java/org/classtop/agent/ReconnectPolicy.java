package org.classtop.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: the n-th retry in a row waits a random time in
 * {@code [0, min(cap, base * 2^n)]}, so a whole classroom that lost its server does not come back in
 * lock-step. {@link #reset()} after a connection that stayed up starts again from {@code base}.
 * Not thread-safe: the connection supervisor owns it.
 */
public final class ReconnectPolicy {
    /** Base 1 s, cap 60 s, stable after 30 s. */
    public static final ReconnectPolicy DEFAULT = new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60),
            Duration.ofSeconds(30));

    private final Duration base;
    private final Duration cap;
    private final Duration stableAfter;
    private final DoubleSupplier random;
    private int failures;

    public ReconnectPolicy(Duration base, Duration cap, Duration stableAfter) {
        this(base, cap, stableAfter, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** {@code random} yields values in {@code [0, 1)}. */
    public ReconnectPolicy(Duration base, Duration cap, Duration stableAfter, DoubleSupplier random) {
        this.base = Objects.requireNonNull(base, "base");
        this.cap = Objects.requireNonNull(cap, "cap");
        this.stableAfter = Objects.requireNonNull(stableAfter, "stableAfter");
        this.random = Objects.requireNonNull(random, "random");
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("The backoff needs 0 < base <= cap.");
        }
    }

    /** A fresh policy with the same settings (policies keep a count, so each runtime needs its own). */
    public ReconnectPolicy copy() {
        return new ReconnectPolicy(base, cap, stableAfter, random);
    }

    /** The longest wait of the next retry, before jitter. */
    public Duration ceiling() {
        long capMillis = cap.toMillis();
        long ceiling = base.toMillis();
        for (int i = 0; i < failures && ceiling < capMillis; i++) {
            ceiling *= 2;
        }
        return Duration.ofMillis(Math.min(ceiling, capMillis));
    }

    /** The wait before the next attempt; counts one more failure. */
    public Duration nextDelay() {
        Duration ceiling = ceiling();
        failures = Math.min(failures + 1, 62);
        double fraction = Math.min(Math.max(random.getAsDouble(), 0.0), 1.0);
        return Duration.ofMillis(Math.round(ceiling.toMillis() * fraction));
    }

    /** Reports how long the last connection stayed up; a stable one resets the backoff. */
    public void connectionEnded(Duration uptime) {
        if (uptime.compareTo(stableAfter) >= 0) {
            reset();
        }
    }

    public void reset() {
        failures = 0;
    }

    public Duration base() {
        return base;
    }

    public Duration cap() {
        return cap;
    }
}
