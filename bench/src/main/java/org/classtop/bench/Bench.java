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
 * </pre>
 *
 * With {@code --stalled N}, N more agents register and then stop reading, and large commands are sent to
 * them for the whole run (see {@link StalledAgents}): the hostile case beside the happy one.
 *
 * Connects the agents (forking a child process per {@code agents-per-process} beyond the first, a process
 * holds at most 20,000 open files here), waits until the server counts them online, drives the REST commands
 * and prints the figures as plain lines.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args;
        try {
            args = new Args(argv);
            System.exit(run(args));
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
        }
    }

    private static int run(Args args) throws Exception {
        URI server = URI.create(args.required("url"));
        String token = args.string("token", System.getenv("CLASSTOP_ADMIN_TOKEN"));
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("give the admin token with --token or CLASSTOP_ADMIN_TOKEN");
        }
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
            try (HttpDriver driver = new HttpDriver(server, token, uuids, rate, connections)) {
                if (stalled != null) {
                    stalled.startFlood();
                }
                r = driver.run(warmup, seconds, drain,
                        () -> CompletableFuture.runAsync(() -> before.complete(probe.status())));
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
            Histogram h = r.latencyNanos;
            out("round trip ms (from scheduled send, %d ok answers): p50 %s  p99 %s  p99.9 %s  max %s",
                    h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)),
                    ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
            out("rate: %.1f ok answers/s achieved of %d/s scheduled (%d scheduled, %d ok, %d unanswered, %d connections)",
                    r.achievedRate(), rate, r.measuredScheduled, r.measuredOk, r.measuredUnanswered,
                    r.connectionsOpened);
            if (r.errors.isEmpty()) {
                out("errors: none");
            } else {
                StringBuilder sb = new StringBuilder();
                for (Map.Entry<String, Long> e : r.errors.entrySet()) {
                    sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(" x").append(e.getValue());
                }
                out("errors (warm-up included): %s", sb);
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

    private static ServerProbe.Status waitOnline(ServerProbe probe, int expected, int timeoutSeconds)
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

    private static String mib(long kib) {
        return kib < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    private static void out(String format, Object... args) {
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
