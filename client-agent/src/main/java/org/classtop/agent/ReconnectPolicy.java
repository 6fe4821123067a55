package org.classtop.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Exponential backoff with full jitter: the n-th retry in a row waits a random time in
 * {@code [0, min(cap, base * 2^n)]}, so a whole classroom that lost its server does not come back in
 * lock-step. {@link #reset()} after a connection that stayed up starts again from {@code base}.
 *
 * <p>Right after losing a server it was connected to, the server is most likely being restarted (an
 * upgrade during the school day, or a crash and its service manager starting it again): for
 * {@link #QUICK_WINDOW} the ceiling stays at {@link #QUICK_CAP}, so the agent is back within seconds of
 * the server listening again instead of sleeping through a doubled minute-long wait. In that window every wait
 * is at least a tenth of {@code base} (100 ms by default): the first retry comes early (within {@code base})
 * but never at once, so 10,000 agents that lost the same server neither hit it in the same instant nor wait
 * long, and arrive spread over the quick cap once it listens again. A server that said it is restarting (close code 1012, or 1001
 * going away) starts that window afresh with the backoff reset ({@link #serverRestarting()}). A server that
 * stays down falls back to the full cap after the window. Not thread-safe: the connection supervisor owns
 * it.
 */
public final class ReconnectPolicy {
    /** Base 1 s, cap 60 s, stable after 30 s. */
    public static final ReconnectPolicy DEFAULT = new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60),
            Duration.ofSeconds(30));

    private final Duration base;
    private final Duration cap;
    private final Duration stableAfter;
    /**
     * The longest wait between attempts during the quick window after losing the server: how long after the
     * server listens again the last agent comes back, and the window over which 10,000 agents spread
     * (measured by bench/all.sh: the server registers them faster than they arrive over 2.5 s).
     */
    public static final Duration QUICK_CAP = Duration.ofMillis(2_500);
    /** How long after losing the server the quick cap holds. */
    public static final Duration QUICK_WINDOW = Duration.ofMinutes(2);

    private final DoubleSupplier random;
    private final LongSupplier nanoTime;
    private int failures;
    /** {@link System#nanoTime()} until which the quick cap holds; meaningful only while {@link #quick} is set. */
    private long quickUntilNanos;
    private boolean quick;

    public ReconnectPolicy(Duration base, Duration cap, Duration stableAfter) {
        this(base, cap, stableAfter, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** {@code random} yields values in {@code [0, 1)}. */
    public ReconnectPolicy(Duration base, Duration cap, Duration stableAfter, DoubleSupplier random) {
        this(base, cap, stableAfter, random, System::nanoTime);
    }

    /** {@code nanoTime} is the clock of the quick window (tests pass their own). */
    ReconnectPolicy(Duration base, Duration cap, Duration stableAfter, DoubleSupplier random, LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
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
        return new ReconnectPolicy(base, cap, stableAfter, random, nanoTime);
    }

    /** The longest wait of the next retry, before jitter. */
    public Duration ceiling() {
        long capMillis = cap.toMillis();
        if (inQuickWindow()) {
            capMillis = Math.min(capMillis, Math.max(base.toMillis(), QUICK_CAP.toMillis()));
        }
        long ceiling = base.toMillis();
        for (int i = 0; i < failures && ceiling < capMillis; i++) {
            ceiling *= 2;
        }
        return Duration.ofMillis(Math.min(ceiling, capMillis));
    }

    /** The wait before the next attempt, uniform between the floor (0, or a tenth of the base in the quick
     *  window: no agent retries in the very instant the server went) and the ceiling; counts one more failure. */
    public Duration nextDelay() {
        long ceiling = ceiling().toMillis();
        long floor = inQuickWindow() ? base.toMillis() / 10 : 0;
        failures = Math.min(failures + 1, 62);
        double fraction = Math.min(Math.max(random.getAsDouble(), 0.0), 1.0);
        return Duration.ofMillis(floor + Math.round((ceiling - floor) * fraction));
    }

    private boolean inQuickWindow() {
        return quick && nanoTime.getAsLong() - quickUntilNanos < 0;
    }

    /** Reports how long the last connection stayed up; a stable one resets the backoff. */
    public void connectionEnded(Duration uptime) {
        if (uptime.compareTo(stableAfter) >= 0) {
            reset();
            startQuickWindow();
        }
    }

    /** The server closed the connection saying it is restarting or going away: come back soon. */
    public void serverRestarting() {
        reset();
        startQuickWindow();
    }

    private void startQuickWindow() {
        quick = true;
        quickUntilNanos = nanoTime.getAsLong() + QUICK_WINDOW.toNanos();
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
