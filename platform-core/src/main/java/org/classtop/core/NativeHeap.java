package org.classtop.core;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the C library's free memory back to the system once, after the start: the start's transient native memory
 * (the JIT compiler's work areas, class parsing) is freed by then, but glibc keeps most of it in its arenas. Measured
 * on an idle server after a restart: RSS -3 MiB, the trim itself under 1 ms. Done once only, because a trim holds
 * the C library's allocation lock while it walks the arenas (the JVM's trim every 5 s lengthened the round-trip
 * tail under load, docs/performance.md). Uses the JVM's own {@code System.trim_native_heap} diagnostic command
 * (Java 17.0.9 and later; it answers "Not available" on a C library other than glibc); elsewhere it does nothing.
 */
final class NativeHeap {
    private static final Logger LOG = LoggerFactory.getLogger(NativeHeap.class);

    private NativeHeap() {
    }

    /** The JVM's report ({@code Trim native heap: RSS+Swap: 96688K->93636K (-3052K)}), or null without the command. */
    static String trim() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return null;
        }
        long start = System.nanoTime();
        try {
            Object report = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
                    new Object[] {null}, new String[] {String[].class.getName()});
            String text = String.valueOf(report).strip();
            LOG.debug("{} in {} ms", text, (System.nanoTime() - start) / 1_000_000);
            return text;
        } catch (JMException | RuntimeException e) {
            LOG.debug("The native heap was not trimmed: {}", e.toString());
            return null;
        }
    }
}
