package org.classtop.core.auth;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** At most {@value #MAX_FAILURES} failed logins per address within {@link #WINDOW}; a success clears the count. */
@Singleton
public final class LoginRateLimiter {
    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_TRACKED = 10_000;

    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    public LoginRateLimiter() {
        this(Clock.systemUTC());
    }

    LoginRateLimiter(Clock clock) {
        this.clock = clock;
    }

    /** Seconds to wait before the next attempt, or 0 when one is allowed now. */
    public long retryAfterSeconds(String address) {
        Deque<Long> times = failures.get(address);
        if (times == null) {
            return 0;
        }
        synchronized (times) {
            prune(times);
            if (times.size() < MAX_FAILURES) {
                return 0;
            }
            long waitMillis = times.peekFirst() + WINDOW.toMillis() - clock.millis();
            return Math.max(1, (waitMillis + 999) / 1000);
        }
    }

    /** Refuses with 429 while the address has used up its failed attempts (sign-in and password changes). */
    public void requireAllowed(String address) {
        long wait = retryAfterSeconds(address);
        if (wait > 0) {
            throw new org.classtop.api.server.ApiException(429, "TOO_MANY_ATTEMPTS",
                    "Too many wrong passwords from your address; try again in " + wait + " s.");
        }
    }

    public void failed(String address) {
        if (failures.size() > MAX_TRACKED) {
            failures.clear();
        }
        Deque<Long> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (times) {
            prune(times);
            times.addLast(clock.millis());
        }
    }

    public void succeeded(String address) {
        failures.remove(address);
    }

    private void prune(Deque<Long> times) {
        long oldest = clock.millis() - WINDOW.toMillis();
        while (!times.isEmpty() && times.peekFirst() < oldest) {
            times.removeFirst();
        }
    }
}
