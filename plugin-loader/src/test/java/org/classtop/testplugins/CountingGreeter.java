package org.classtop.testplugins;

import java.util.concurrent.atomic.AtomicInteger;

public final class CountingGreeter implements Greeter {
    private final AtomicInteger calls = new AtomicInteger();

    @Override
    public int greet() {
        return calls.incrementAndGet();
    }
}
