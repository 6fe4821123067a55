package org.classtop.plugins.managementsync.site;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.classtop.plugins.managementsync.ManagementSyncServerPlugin;
import org.classtop.testing.FakeAgent;
import org.classtop.testing.Poll;
import org.classtop.testing.TestServer;

/**
 * Benchmark (not a test; run by {@code bench/relay.sh}): the round trip of a command the centre routes through an
 * LMS — centre frame {@code lms_relay} over the LMS's WebSocket, the LMS's {@code AgentCommands} to a local agent
 * and back — with the real LMS (in-process server, SQLite on disk, the site part of management-sync), a
 * stand-in centre (Undertow) and fake agents (JDK WebSocket) answering {@code echo}, all in one JVM.
 * Prints p50/p99/max for one relay at a time and for {@code WINDOW} relays in flight, the throughput, and the
 * process CPU. Arguments: RELAYS (default 5000), AGENTS (default 20), WINDOW (default 32).
 */
public final class RelayBench {
    private RelayBench() {
    }

    public static void main(String[] args) throws Exception {
        int relays = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int agentCount = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int window = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        try (StandInCentre centre = new StandInCentre(null);
             TestServer lms = TestServer.builder()
                     .serverConfig(c -> c.managementUrl(centre.url()).managementInterval(30))
                     .plugin("management-sync", new ManagementSyncServerPlugin())
                     .start()) {
            List<FakeAgent> agents = new ArrayList<>();
            for (int i = 0; i < agentCount; i++) {
                agents.add(lms.agent("bench-" + i, "Bench " + i, a -> a.on("echo", p -> Map.of("n", p.path("n").asInt()))));
            }
            centre.awaitFrame(f -> f.path("type").asText().equals("register"), "the LMS's register frame");
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            long[] rtt = new long[relays];
            AtomicInteger done = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            Semaphore inFlight = new Semaphore(1);
            Semaphore[] current = {inFlight};
            centre.onFrame(frame -> {
                if (!frame.path("type").asText().equals("response")) {
                    return;
                }
                Long start = sentAt.remove(frame.path("request_id").asText());
                if (start == null) {
                    return;
                }
                if (!frame.path("success").asBoolean()) {
                    failed.incrementAndGet();
                }
                int index = done.getAndIncrement();
                if (index < rtt.length) {
                    rtt[index] = System.nanoTime() - start;
                }
                current[0].release();
            });

            run(centre, sentAt, current, new Semaphore(1), 500, agentCount, "warm", done, rtt); // JIT warm-up
            long cpu0 = cpu();
            double seqSeconds = run(centre, sentAt, current, new Semaphore(1), relays, agentCount, "seq", done, rtt);
            report("one at a time", rtt, relays, seqSeconds);
            double winSeconds = run(centre, sentAt, current, new Semaphore(window), relays, agentCount, "win", done, rtt);
            report(window + " in flight", rtt, relays, winSeconds);
            double cpuSeconds = (cpu() - cpu0) / 1e9;
            System.out.printf("process CPU: %.1f s for %d relays (%.0f µs per relay, centre + LMS + agents in one JVM)%n",
                    cpuSeconds, 2 * relays, cpuSeconds * 1e6 / (2.0 * relays));
            System.out.printf("failed answers: %d%n", failed.get());
            agents.forEach(FakeAgent::close);
        }
    }

    private static double run(StandInCentre centre, Map<String, Long> sentAt, Semaphore[] current, Semaphore window,
                              int relays, int agents, String prefix, AtomicInteger done, long[] rtt) throws Exception {
        current[0] = window;
        done.set(0);
        centre.clearFrames();
        long start = System.nanoTime();
        for (int i = 0; i < relays; i++) {
            window.acquire();
            String id = prefix + "-" + i;
            sentAt.put(id, System.nanoTime());
            centre.sendToLms(Map.of("type", "command", "request_id", id, "command", "lms_relay", "params",
                    Map.of("target_client", "bench-" + (i % agents), "command", "echo", "params", Map.of("n", i),
                            "timeout", 30)));
        }
        Poll.until("every answer", Duration.ofMinutes(2), () -> done.get() >= relays);
        return (System.nanoTime() - start) / 1e9;
    }

    private static void report(String label, long[] rtt, int n, double seconds) {
        long[] sorted = Arrays.copyOf(rtt, n);
        Arrays.sort(sorted);
        System.out.printf("relay round trip, %s: p50 %.2f ms, p99 %.2f ms, max %.2f ms; %.0f relays/s (%d relays)%n",
                label, ms(sorted[n / 2]), ms(sorted[(int) Math.min(n - 1, Math.ceil(n * 0.99) - 1)]), ms(sorted[n - 1]),
                n / seconds, n);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
