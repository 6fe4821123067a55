package org.classtop.it.boundary;

import java.util.concurrent.atomic.AtomicLong;

public final class TickingClock implements Clock {
    private final AtomicLong ticks = new AtomicLong();

    @Override
    public long tick() {
        return ticks.incrementAndGet();
    }
}
