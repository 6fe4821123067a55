package org.classtop.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One full collection once the start's work is done ({@link AfterListening#settled()}), so that an idle server
 * gives back what starting it took. A start leaves more garbage than it keeps (class loading, migrations, the
 * plugins' wiring; on a first start the admin password's Argon2 hash alone allocates 19 MB), and the serial and
 * parallel collectors only return heap to the system at a full collection, which an idle server never has: without
 * this the garbage of the start stays resident for days. Measured on one core: 12 MB live, 33 MB of heap before,
 * about 18 MB after, in 20–40 ms. Switched on by {@code bin/classtop-lms} ({@code -Dclasstop.compactHeapAfterStart=true},
 * with {@code -XX:-ShrinkHeapInSteps}: the JVM otherwise shrinks a heap only at the fourth full collection in a row);
 * off in servers embedded in tests (one JVM, many starts).
 */
final class HeapCompaction {
    static final String PROPERTY = "classtop.compactHeapAfterStart";

    private static final Logger LOG = LoggerFactory.getLogger(HeapCompaction.class);

    private HeapCompaction() {
    }

    static void startInBackground() {
        Thread thread = new Thread(HeapCompaction::run, "classtop-heap-compaction");
        thread.setDaemon(true);
        thread.start();
    }

    @SuppressWarnings("java:S1215") // System.gc(): the point of this class, once per process
    private static void run() {
        Runtime runtime = Runtime.getRuntime();
        long committedBefore = runtime.totalMemory();
        long usedBefore = committedBefore - runtime.freeMemory();
        long started = System.nanoTime();
        System.gc();
        long committedAfter = runtime.totalMemory();
        long usedAfter = committedAfter - runtime.freeMemory();
        LOG.debug("Heap after the start's work: {} MB used of {} MB before a full collection, {} MB of {} MB after ({} ms)",
                usedBefore >> 20, committedBefore >> 20, usedAfter >> 20, committedAfter >> 20,
                (System.nanoTime() - started) / 1_000_000);
    }
}
