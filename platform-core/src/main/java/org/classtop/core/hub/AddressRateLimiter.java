package org.classtop.core.hub;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * So many admissions a minute per source address (a burst of that many is allowed). Remembers at
 * most {@value #MAX_ADDRESSES} addresses, forgetting the one seen least recently, so a crowd of
 * addresses costs bounded memory.
 */
final class AddressRateLimiter {
    static final int MAX_ADDRESSES = 10_000;

    private final int perMinute;
    private final Map<String, RateBucket> buckets = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RateBucket> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    AddressRateLimiter(int perMinute) {
        this.perMinute = perMinute;
    }

    synchronized boolean tryTake(String address) {
        return buckets.computeIfAbsent(address, a -> RateBucket.perMinute(perMinute)).tryTake();
    }
}
