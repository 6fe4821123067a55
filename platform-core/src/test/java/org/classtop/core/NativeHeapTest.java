package org.classtop.core;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The one trim of the C library's heap after a start (what the server's main thread does 5 s after listening). */
class NativeHeapTest {

    @Test
    void onLinuxTheJvmTrimsTheNativeHeapAndReportsTheChange() {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux"), "the trim is glibc's");
        String report = NativeHeap.trim();
        assertNotNull(report, "the JVM's System.trim_native_heap command was not available");
        assertTrue(report.matches("(?s).*Trim native heap: RSS\\+Swap: \\d+[KMG]->\\d+[KMG] \\(-?\\+?\\d+[KMG]\\).*"),
                report);
    }
}
