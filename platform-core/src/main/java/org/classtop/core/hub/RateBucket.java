package org.classtop.core.hub;

/**
 * A token bucket: {@code capacity} at once, refilled at {@code capacity} a minute. Not thread-safe
 * by itself; each bucket belongs to one connection, whose frames arrive one at a time.
 */
final class RateBucket {
    private final double capacity;
    private final double perMilli;
    private double tokens;
    private long last = System.currentTimeMillis();
    private long refused;

    private RateBucket(double capacity, double perMilli) {
        this.capacity = capacity;
        this.perMilli = perMilli;
        this.tokens = capacity;
    }

    static RateBucket perMinute(int count) {
        return new RateBucket(count, count / 60_000.0);
    }

    /** Takes one token; false (and counted) when none is left. */
    synchronized boolean tryTake() {
        long now = System.currentTimeMillis();
        tokens = Math.min(capacity, tokens + (now - last) * perMilli);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        refused++;
        return false;
    }

    /** Refusals since the last call (for a log line or a notice to the agent). */
    synchronized long takeRefused() {
        long count = refused;
        refused = 0;
        return count;
    }
}
