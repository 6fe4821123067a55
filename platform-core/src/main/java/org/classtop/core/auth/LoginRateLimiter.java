package org.classtop.core.auth;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.classtop.core.http.RetryLaterException;

/**
 * At most {@value #MAX_ATTEMPTS} password checks per address within {@link #WINDOW} (sign-in and password
 * changes), however many requests arrive at once: each check is counted before it runs, and only a right
 * password (or a check that could not run) gives its place back. Beyond that: 429 with Retry-After.
 * <p>
 * At most {@value #MAX_TRACKED} addresses are tracked; past that the one idle longest is forgotten, one
 * at a time, so nobody can wipe everyone's counts at once.
 */
@Singleton
public final class LoginRateLimiter {
    static final int MAX_ATTEMPTS = 5;
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_TRACKED = 10_000;

    /** When each counted attempt began, per address; least recently used first. Guarded by {@code this}. */
    private final Map<String, ArrayDeque<Long>> attempts = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Long>> eldest) {
            return size() > MAX_TRACKED;
        }
    };
    private final Clock clock;

    public LoginRateLimiter() {
        this(Clock.systemUTC());
    }

    LoginRateLimiter(Clock clock) {
        this.clock = clock;
    }

    /** A counted attempt: give it back with {@link #release} when the password was right. */
    public record Reservation(String address, long at) {
    }

    /**
     * Runs {@code passwordCheck} as one of the address's attempts, or refuses with 429 when they are used
     * up. A true answer and any failure of the check itself give the attempt back.
     */
    public boolean attempt(String address, BooleanSupplier passwordCheck) {
        Reservation reservation = reserve(address);
        boolean right;
        try {
            right = passwordCheck.getAsBoolean();
        } catch (RuntimeException e) {
            release(reservation);
            throw e;
        }
        if (right) {
            release(reservation);
        }
        return right;
    }

    /** Counts one attempt for the address now, or throws 429 {@code TOO_MANY_ATTEMPTS} with the seconds to wait. */
    public synchronized Reservation reserve(String address) {
        long now = clock.millis();
        ArrayDeque<Long> times = attempts.computeIfAbsent(address, a -> new ArrayDeque<>(MAX_ATTEMPTS));
        long oldest = now - WINDOW.toMillis();
        while (!times.isEmpty() && times.peekFirst() <= oldest) {
            times.removeFirst();
        }
        if (times.size() >= MAX_ATTEMPTS) {
            long seconds = (times.peekFirst() - oldest + 999) / 1000;
            throw new RetryLaterException(429, "TOO_MANY_ATTEMPTS", "Too many password attempts from your address; try again in "
                    + Math.max(1, seconds) + " s.", seconds);
        }
        times.addLast(now);
        return new Reservation(address, now);
    }

    /** The attempt no longer counts (its password was right, or it was never checked). */
    public synchronized void release(Reservation reservation) {
        ArrayDeque<Long> times = attempts.get(reservation.address());
        if (times != null) {
            times.removeFirstOccurrence(reservation.at());
            if (times.isEmpty()) {
                attempts.remove(reservation.address());
            }
        }
    }

    synchronized int tracked() {
        return attempts.size();
    }
}
