package org.classtop.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The load generator that {@code bench/run.sh} starts against a running server.
 *
 * <pre>
 * java -cp classtop-bench-*-jar-with-dependencies.jar org.classtop.bench.Bench \
 *   --url http://127.0.0.1:PORT [--token T | env CLASSTOP_ADMIN_TOKEN] [--server-pid PID] \
 *   [--agents 1000] [--rate 1000] [--seconds 30] [--warmup 15] [--connections 256] [--heartbeat 30] \
 *   [--agents-per-process 9000] [--connect-concurrency 256] [--drain 60] [--stalled 0]
 *   [--ladder 2000,4000,8000 --ladder-seconds 12 --ladder-p99-ms 50]
 * </pre>
 *
 * The warm-up's round trips are printed too (a line "first N s"): started right after the server, they are the
 * figures of a cold server. With {@code --ladder}, after the measured part the rate steps up through the given
 * rates ({@code --ladder-seconds} each, measured from the first request) until p99 exceeds
 * {@code --ladder-p99-ms}, the achieved rate falls below 95 % of the scheduled one, or errors appear, and the
 * highest rate that passed is printed. Every run prints this process's own CPU use, to show the load generator
 * is not what limits the rate.
 *
 * With {@code --stalled N}, N more agents register and then stop reading, and large commands are sent to
 * them for the whole run (see {@link StalledAgents}): the hostile case beside the happy one.
 *
 * Connects the agents (forking a child process per {@code agents-per-process} beyond the first, a process
 * holds at most 20,000 open files here), waits until the server counts them online, drives the REST commands
 * and prints the figures as plain lines.
 */
public final class Bench {

    /** Above this CPU use of its own core the load generator, not the server, may set the pace. */
    private static final double LOAD_SATURATED_PERCENT = 90;

    /** With {@code --table-label L}: also print the figures as markdown table rows ({@code row: | L ... | ... |}). */
    private static String tableLabel;

    private Bench() {
    }

    /** A row of the summary table bench/all.sh prints at the end. */
    static void row(String figure, String value) {
        out("row: | %s | %s |", figure, value);
    }

    private static String percentiles(Histogram h) {
        return String.format(Locale.ROOT, "p50 %s, p99 %s, p99.9 %s, max %s ms", ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
    }

    public static void main(String[] argv) throws Exception {
        Args.runAndExit(argv, Bench::run);
    }

    private static int run(Args args) throws Exception {
        URI server = URI.create(args.required("url"));
        String token = args.adminToken();
        int agents = args.integer("agents", 1000);
        int rate = args.integer("rate", 1000);
        int seconds = args.integer("seconds", 30);
        int warmup = args.integer("warmup", 15);
        int connections = args.integer("connections", 256);
        int heartbeat = args.integer("heartbeat", 30);
        int perProcess = args.integer("agents-per-process", 9000);
        int connectConcurrency = args.integer("connect-concurrency", 256);
        int drain = args.integer("drain", 60);
        long serverPid = args.longValue("server-pid", -1);
        int stalledCount = args.integer("stalled", 0);
        List<Integer> ladder = new ArrayList<>();
        for (String r : args.string("ladder", "").split(",")) {
            if (!r.isBlank()) {
                ladder.add(Integer.parseInt(r.trim()));
            }
        }
        int ladderSeconds = args.integer("ladder-seconds", 12);
        int ladderP99Millis = args.integer("ladder-p99-ms", 50);
        tableLabel = args.string("table-label", null);
        if (agents < 1 || rate < 1 || seconds < 1 || warmup < 0 || perProcess < 1 || connections < 1) {
            throw new IllegalArgumentException("agents, rate, seconds, connections must be positive");
        }

        ServerProbe probe = new ServerProbe(server, token, serverPid);
        String runId = HexFormat.of().formatHex(SecureRandom.getSeed(4));
        out("ClassTop bench: %d agents, %d commands/s for %d s after a %d s warm-up, server %s (pid %s)",
                agents, rate, seconds, warmup, server, serverPid > 0 ? serverPid : "unknown");
        long rssIdle = probe.rssKib();

        // --- agents -----------------------------------------------------------------------------------
        long t0 = System.nanoTime();
        List<Child> children = new ArrayList<>();
        for (int from = perProcess; from < agents; from += perProcess) {
            children.add(Child.start(server, runId, from, Math.min(agents, from + perProcess), heartbeat, connectConcurrency));
        }
        AgentSwarm local = new AgentSwarm(server, runId, 0, Math.min(agents, perProcess), heartbeat, connectConcurrency);
        try {
            local.connectAll().get(10, TimeUnit.MINUTES);
            int connected = local.connected();
            int failed = local.failed();
            StringBuilder reasons = new StringBuilder(local.failureSummary());
            for (Child c : children) {
                String[] line = c.awaitConnected().split(" ", 5);
                connected += Integer.parseInt(line[1]);
                failed += Integer.parseInt(line[3]);
                if (line.length > 4) {
                    reasons.append(reasons.length() == 0 ? "" : "; ").append(line[4]);
                }
            }
            double connectSeconds = (System.nanoTime() - t0) / 1e9;

            // Registered is not yet online: wait (at most 60 s) until the server counts them.
            ServerProbe.Status online = waitOnline(probe, connected, 60);
            double onlineSeconds = (System.nanoTime() - t0) / 1e9;
            out("agents connected: %d of %d in %.2f s (%d processes)%s", connected, agents, connectSeconds,
                    1 + children.size(), failed > 0 ? ", " + failed + " failed: " + reasons : "");
            if (online != null) {
                out("agents online (server's clients_online): %d after %.2f s", online.clientsOnline, onlineSeconds);
            } else {
                out("agents online: unknown (%s)", probe.lastError());
            }
            long rssAgents = probe.rssKib();
            if (connected == 0) {
                out("no agent connected: no load run");
                return 1;
            }

            // --- load --------------------------------------------------------------------------------------
            List<UUID> uuids = new ArrayList<>(agents);
            for (int i = 0; i < agents; i++) {
                uuids.add(AgentSwarm.agentUuid(runId, i));
            }
            CompletableFuture<ServerProbe.Status> before = new CompletableFuture<>();
            HttpDriver.Result r;
            StalledAgents stalled = stalledCount > 0 ? StalledAgents.connect(server, token, runId, stalledCount) : null;
            List<HttpDriver.Result> steps = new ArrayList<>();
            try (HttpDriver driver = new HttpDriver(server, token, uuids, connections)) {
                if (stalled != null) {
                    stalled.startFlood();
                }
                r = driver.run(rate, warmup, seconds, drain,
                        () -> CompletableFuture.runAsync(() -> before.complete(probe.status())));
                if (!ladder.isEmpty()) {
                    printRun("", r, warmup);
                }
                for (int stepRate : ladder) {
                    HttpDriver.Result step = driver.run(stepRate, 0, ladderSeconds, Math.min(drain, 15), null);
                    steps.add(step);
                    out("rate step %d/s for %d s: %s", stepRate, ladderSeconds, oneLine(step));
                    if (tableLabel != null) {
                        row(String.format(Locale.ROOT, "round trip at %,d/s, %d agents", stepRate, agents),
                                percentiles(step.latencyNanos) + String.format(Locale.ROOT,
                                        "; %.0f ok/s; errors: %s; load generator CPU %.0f %%",
                                        step.achievedRate(), errors(step), step.loadCpuPercent()));
                    }
                    String stop = ladderStop(step, ladderP99Millis);
                    if (stop != null) {
                        out("stopped the rate steps at %d/s: %s", stepRate, stop);
                        break;
                    }
                }
            } finally {
                if (stalled != null) {
                    stalled.close();
                    out("hostile: %s", stalled.summary());
                }
            }
            ServerProbe.Status after = probe.status();
            long rssAfter = probe.rssKib();
            long rssPeak = probe.peakRssKib();

            // --- figures -----------------------------------------------------------------------------------
            if (probe.hasPid()) {
                out("server RSS: %s idle, %s with %d agents (%s per agent), %s after the load, peak %s",
                        mib(rssIdle), mib(rssAgents), connected,
                        rssIdle > 0 && rssAgents > 0 ? String.format(Locale.ROOT, "%.1f KiB",
                                (rssAgents - rssIdle) / (double) connected) : "n/a",
                        mib(rssAfter), mib(rssPeak));
            } else {
                out("server RSS: n/a (no --server-pid)");
            }
            if (ladder.isEmpty()) {
                printRun("", r, warmup);
            } else {
                int highest = -1;
                for (HttpDriver.Result step : steps) {
                    if (ladderStop(step, ladderP99Millis) == null) {
                        highest = step.rate;
                    }
                }
                HttpDriver.Result last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
                String why = last == null ? "no step ran" : ladderStop(last, ladderP99Millis);
                String highestText = highest < 0 ? "none of the steps" : String.format(Locale.ROOT, "%,d/s", highest);
                String whyText = why == null ? "every step passed; the last step was " + last.rate + "/s"
                        : "stopped at " + last.rate + "/s: " + why;
                out("highest rate with p99 <= %d ms: %s (%s)", ladderP99Millis, highestText, whyText);
                if (tableLabel != null) {
                    row("highest rate with p99 <= " + ladderP99Millis + " ms", highestText + " (" + whyText + ")");
                }
            }
            ServerProbe.Status b;
            try {
                b = before.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                b = null;
            }
            if (b != null && after != null && b.commandsLogged >= 0 && after.commandsLogged >= 0) {
                double s = (after.atNanos - b.atNanos) / 1e9;
                long rows = after.commandsLogged - b.commandsLogged;
                out("command log: %d rows in %.1f s = %.1f rows/s (commands_logged %d -> %d)",
                        rows, s, rows / s, b.commandsLogged, after.commandsLogged);
            } else {
                out("command log: n/a (%s)", probe.lastError().isEmpty()
                        ? "no commands_logged in /api/system/status" : probe.lastError());
            }
            if (after != null) {
                out("agents online after the load: %d", after.clientsOnline);
            }
            long answered = local.answered();
            int disconnected = local.disconnected();
            for (Child c : children) {
                String[] line = c.finish().split(" ");
                answered += Long.parseLong(line[1]);
                disconnected += Integer.parseInt(line[3]);
            }
            children.clear();
            out("agents answered %d commands, %d agents disconnected during the run", answered, disconnected);
            return r.measuredOk > 0 ? 0 : 1;
        } finally {
            for (Child c : children) {
                c.kill();
            }
            local.close();
        }
    }

    /** Prints the round trips of one run: its warm-up part (when it has one), the measured part, rate and errors. */
    private static void printRun(String label, HttpDriver.Result r, int warmupSeconds) {
        if (warmupSeconds > 0) {
            Histogram w = r.warmupLatencyNanos;
            out("%sround trip ms, first %d s (no warm-up before, %d ok answers): p50 %s  p99 %s  p99.9 %s  max %s",
                    label, warmupSeconds, w.getTotalCount(), ms(w.getValueAtPercentile(50)),
                    ms(w.getValueAtPercentile(99)), ms(w.getValueAtPercentile(99.9)), ms(w.getMaxValue()));
        }
        Histogram h = r.latencyNanos;
        out("%sround trip ms%s (from scheduled send, %d ok answers): p50 %s  p99 %s  p99.9 %s  max %s", label,
                warmupSeconds > 0 ? " after the " + warmupSeconds + " s warm-up" : "",
                h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
        out("%srate: %.1f ok answers/s achieved of %d/s scheduled (%d scheduled, %d ok, %d unanswered, %d connections)"
                        + "; load generator CPU %.0f %% of one core",
                label, r.achievedRate(), r.rate, r.measuredScheduled, r.measuredOk, r.measuredUnanswered,
                r.connectionsOpened, r.loadCpuPercent());
        out("%serrors%s: %s", label, warmupSeconds > 0 ? " (warm-up included)" : "", errors(r));
        if (tableLabel != null) {
            String agentsAt = String.format(Locale.ROOT, "round trip at %,d/s, ", r.rate);
            if (warmupSeconds > 0) {
                row(agentsAt + "first " + warmupSeconds + " s after start" + tableLabel, percentiles(r.warmupLatencyNanos));
            }
            row(agentsAt + (warmupSeconds > 0 ? "after a " + warmupSeconds + " s warm-up" : "measured") + tableLabel,
                    percentiles(h) + (r.errors.isEmpty() ? "" : "; errors: " + errors(r)));
        }
    }

    private static String oneLine(HttpDriver.Result r) {
        Histogram h = r.latencyNanos;
        return String.format(Locale.ROOT, "p50 %s  p99 %s  p99.9 %s  max %s ms, %.0f ok/s of %d/s, errors: %s, "
                        + "%d connections, load generator CPU %.0f %% of one core",
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
                ms(h.getMaxValue()), r.achievedRate(), r.rate, errors(r), r.connectionsOpened, r.loadCpuPercent());
    }

    /** Why a rate step fails (p99 too high, rate not reached, errors), or null when it passes. */
    private static String ladderStop(HttpDriver.Result r, int p99Millis) {
        double p99 = r.latencyNanos.getValueAtPercentile(99) / 1e6;
        if (!r.errors.isEmpty()) {
            return "errors (" + errors(r) + ")";
        }
        if (r.achievedRate() < 0.95 * r.rate) {
            return String.format(Locale.ROOT, "achieved %.0f/s, below 95 %% of the scheduled %d/s", r.achievedRate(), r.rate);
        }
        if (p99 > p99Millis) {
            return String.format(Locale.ROOT, "p99 %.1f ms > %d ms", p99, p99Millis);
        }
        if (r.loadCpuPercent() > LOAD_SATURATED_PERCENT) {
            return String.format(Locale.ROOT, "the load generator used %.0f %% of its core: it may be what limits",
                    r.loadCpuPercent());
        }
        return null;
    }

    private static String errors(HttpDriver.Result r) {
        if (r.errors.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Long> e : r.errors.entrySet()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(" x").append(e.getValue());
        }
        return sb.toString();
    }

    static ServerProbe.Status waitOnline(ServerProbe probe, int expected, int timeoutSeconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        ServerProbe.Status s = null;
        while (System.nanoTime() < deadline) {
            s = probe.status();
            if (s == null || s.clientsOnline < 0 || s.clientsOnline >= expected) {
                return s;
            }
            Thread.sleep(100);
        }
        return s;
    }

    static String mib(long kib) {
        return kib < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    static void out(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    /** A child process holding agents {@code from..to-1} (see {@link AgentSwarm#main}). */
    private static final class Child {
        private final Process process;
        private final BufferedReader stdout;

        private Child(Process process) {
            this.process = process;
            this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static Child start(URI server, String runId, int from, int to, int heartbeat, int connectConcurrency)
                throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                    AgentSwarm.class.getName(), "--url", server.toString(), "--run-id", runId,
                    "--from", Integer.toString(from), "--to", Integer.toString(to),
                    "--heartbeat", Integer.toString(heartbeat),
                    "--connect-concurrency", Integer.toString(connectConcurrency)));
            return new Child(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }

        /** "connected N failed M [reasons ...]". */
        String awaitConnected() throws IOException {
            String line = stdout.readLine();
            if (line == null || !line.startsWith("connected ")) {
                throw new IOException("agent child process ended before connecting its agents");
            }
            return line;
        }

        /** Closes its stdin; returns "answered N disconnected M". */
        String finish() throws IOException, InterruptedException {
            process.getOutputStream().close();
            String line = stdout.readLine();
            process.waitFor(30, TimeUnit.SECONDS);
            return line != null && line.startsWith("answered ") ? line : "answered 0 disconnected 0";
        }

        void kill() {
            process.destroy();
        }
    }
}
