package org.classtop.core;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the start time goes: wall-clock milliseconds of each phase, in order, for the one line
 * "ClassTop LMS started in 1234 ms (JVM 180 ms, config 15 ms, ...)". The first phase, "JVM", runs
 * from the JVM's start (its own clock, in ms; the operating system's process start time is only
 * precise to the second) to {@code main}.
 */
public final class StartPhases {
    private record Phase(String name, long millis) {
    }

    private final long startMillis;
    private final List<Phase> phases = new ArrayList<>();
    private long phaseStartNanos;

    private StartPhases(long startMillis) {
        this.startMillis = startMillis;
        this.phaseStartNanos = System.nanoTime();
    }

    /** Called first thing in {@code main}: the time since the JVM started is the phase "JVM". */
    public static StartPhases fromJvmStart() {
        long now = System.currentTimeMillis();
        StartPhases phases = new StartPhases(Math.min(now, ManagementFactory.getRuntimeMXBean().getStartTime()));
        phases.phases.add(new Phase("JVM", now - phases.startMillis));
        return phases;
    }

    /** For a server started inside a running JVM (tests, embedding): the clock starts now. */
    public static StartPhases fromNow() {
        return new StartPhases(System.currentTimeMillis());
    }

    /** Ends the current phase under {@code name}; the next one starts now. */
    public void end(String name) {
        long now = System.nanoTime();
        phases.add(new Phase(name, (now - phaseStartNanos) / 1_000_000));
        phaseStartNanos = now;
    }

    /** "1234 ms (JVM 180 ms, config 15 ms, ...)": the time since the start, then each phase. */
    public String summary() {
        StringBuilder line = new StringBuilder().append(System.currentTimeMillis() - startMillis).append(" ms (");
        for (int i = 0; i < phases.size(); i++) {
            Phase phase = phases.get(i);
            line.append(i == 0 ? "" : ", ").append(phase.name()).append(' ').append(phase.millis()).append(" ms");
        }
        return line.append(')').toString();
    }
}
