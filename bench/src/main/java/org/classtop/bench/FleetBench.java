package org.classtop.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.classtop.agent.ReconnectPolicy;

/**
 * The agent-side figures of {@code bench/all.sh} against one running server: RSS without agents and with each
 * step of agents, idle CPU with all of them heartbeating, then the reconnect storm after {@code kill -9} and a
 * planned restart (SIGTERM, close 1012). The agents reconnect with the real agent's {@link ReconnectPolicy}.
 *
 * <pre>
 * java -cp classtop-bench-*-jar-with-dependencies.jar org.classtop.bench.FleetBench \
 *   --url http://127.0.0.1:PORT --server-pid PID [--token T | env CLASSTOP_ADMIN_TOKEN] \
 *   [--steps 1000,10000] [--settle 10] [--idle-settle 30] [--idle-seconds 60] [--heartbeat 30] \
 *   [--storm 1] [--planned 1] [--connect-concurrency 256] [--back-timeout 120]
 * </pre>
 *
 * The restarts need the script's help: this process sends the signal itself, then prints
 * {@code control: restart}; the script waits for the server to exit, starts it again on the same data folder and
 * port, and writes {@code pid N} (the new server's) on this process's standard input.
 */
public final class FleetBench {

    /** More than the agent's {@code ReconnectPolicy.DEFAULT} stableAfter (30 s). */
    private static final int STABLE_SECONDS = 31;

    private FleetBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args.runAndExit(argv, FleetBench::run);
    }

    private static int run(Args args) throws Exception {
        URI server = URI.create(args.required("url"));
        String token = args.adminToken();
        long pid = args.longValue("server-pid", -1);
        List<Integer> steps = new ArrayList<>();
        for (String s : args.string("steps", "1000,10000").split(",")) {
            steps.add(Integer.parseInt(s.trim()));
        }
        int settle = args.integer("settle", 10);
        int idleSettle = args.integer("idle-settle", 30);
        int idleSeconds = args.integer("idle-seconds", 60);
        int heartbeat = args.integer("heartbeat", 30);
        boolean storm = args.integer("storm", 1) != 0;
        boolean planned = args.integer("planned", 1) != 0;
        int connectConcurrency = args.integer("connect-concurrency", 256);
        int backTimeout = args.integer("back-timeout", 120);
        int agents = steps.get(steps.size() - 1);
        BufferedReader control = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

        ServerProbe probe = new ServerProbe(server, token, pid);
        Thread.sleep(TimeUnit.SECONDS.toMillis(settle));
        long rssEmpty = probe.rssKib();
        Bench.out("RSS with no agents (%d s after start): %s", settle, Bench.mib(rssEmpty));
        Bench.row("RSS with no agents (" + settle + " s after start)", Bench.mib(rssEmpty));

        String runId = HexFormat.of().formatHex(SecureRandom.getSeed(4));
        try (AgentSwarm swarm = new AgentSwarm(server, runId, 0, agents, heartbeat, connectConcurrency,
                ReconnectPolicy.DEFAULT)) {
            int previousStep = 0;
            long previousRss = 0;
            for (int step : steps) {
                long t0 = System.nanoTime();
                swarm.connectUpTo(step).get(10, TimeUnit.MINUTES);
                ServerProbe.Status online = Bench.waitOnline(probe, swarm.connected(), 60);
                double seconds = (System.nanoTime() - t0) / 1e9;
                Thread.sleep(2_000);
                long rss = probe.rssKib();
                // Over no agents, and over the step before: the second leaves out what the first agents alone
                // cost (a young generation grown from its idle size), so it is what each further agent adds.
                String perAgent = rss > 0 && rssEmpty > 0
                        ? String.format(Locale.ROOT, "%.1f KiB per agent", (rss - rssEmpty) / (double) step) : "";
                if (!perAgent.isEmpty() && previousRss > 0 && step > previousStep) {
                    perAgent += String.format(Locale.ROOT, "; %.1f KiB per agent over %,d",
                            (rss - previousRss) / (double) (step - previousStep), previousStep);
                }
                Bench.out("RSS with %d agents: %s (%s); %d registered in %.1f s, server's clients_online %s%s",
                        step, Bench.mib(rss), perAgent.isEmpty() ? "per agent n/a" : perAgent,
                        swarm.connected(), seconds, online == null ? "unknown" : Long.toString(online.clientsOnline),
                        swarm.failed() > 0 ? ", " + swarm.failed() + " failed: " + swarm.failureSummary() : "");
                Bench.row(String.format(Locale.ROOT, "RSS with %,d agents", step), Bench.mib(rss)
                        + (perAgent.isEmpty() ? "" : " (" + perAgent + ")"));
                previousStep = step;
                previousRss = rss;
            }
            long allConnectedNanos = System.nanoTime();
            Bench.out("RSS peak (VmHWM) so far: %s", Bench.mib(probe.peakRssKib()));
            Bench.row("RSS peak (VmHWM) with the agents", Bench.mib(probe.peakRssKib()));
            int fleet = swarm.connected();

            if (idleSeconds > 0) {
                Thread.sleep(TimeUnit.SECONDS.toMillis(idleSettle));
                long ticks0 = probe.cpuTicks();
                long load0 = HttpDriver.processCpuNanos();
                long t0 = System.nanoTime();
                Thread.sleep(TimeUnit.SECONDS.toMillis(idleSeconds));
                long ticks1 = probe.cpuTicks();
                long load1 = HttpDriver.processCpuNanos();
                double wall = (System.nanoTime() - t0) / 1e9;
                if (ticks0 >= 0 && ticks1 >= 0) {
                    // Linux reports utime and stime in USER_HZ ticks, 100 per second.
                    Bench.out("idle CPU with %d agents (heartbeat every %d s, %d s settled, %.0f s measured): %.2f %% of one core "
                                    + "(load generator %.2f %%)", swarm.online(), heartbeat, idleSettle, wall,
                            100.0 * (ticks1 - ticks0) / 100.0 / wall, 100.0 * (load1 - load0) / 1e9 / wall);
                    Bench.row(String.format(Locale.ROOT, "idle CPU with %,d agents (heartbeat every %d s)", swarm.online(),
                            heartbeat), String.format(Locale.ROOT, "%.2f %% of one core (over %.0f s)",
                            100.0 * (ticks1 - ticks0) / 100.0 / wall, wall));
                } else {
                    Bench.out("idle CPU: n/a (no /proc/%d/stat)", pid);
                }
            }

            // Agents that were up for a while, as in a school day: their connection counts as stable
            // (ReconnectPolicy's stableAfter) when the server goes.
            long stable = allConnectedNanos + TimeUnit.SECONDS.toNanos(STABLE_SECONDS) - System.nanoTime();
            if ((storm || planned) && stable > 0) {
                Bench.out("(waiting %.0f s: every agent connected for %d s before the server goes)", stable / 1e9,
                        STABLE_SECONDS);
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(stable));
            }
            if (storm) {
                pid = restart(server, token, pid, true, swarm, fleet, backTimeout, control);
            }
            if (planned && pid > 0) {
                pid = restart(server, token, pid, false, swarm, fleet, backTimeout, control);
            }
            Bench.out("control: pid-final %d", pid);
            return 0;
        }
    }

    /**
     * Stops the server (SIGKILL, or SIGTERM for a planned restart), lets the script start it again, and prints how
     * long until it listens and until every agent is registered again. Returns the new server's pid, or -1.
     */
    private static long restart(URI server, String token, long pid, boolean kill, AgentSwarm swarm, int fleet,
                                int backTimeout, BufferedReader control) throws Exception {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            Bench.out("%s: n/a (server pid %d is gone)", kill ? "storm" : "planned restart", pid);
            return -1;
        }
        long attempts0 = swarm.attempts();
        long loadCpu0 = HttpDriver.processCpuNanos();
        long t0 = System.nanoTime();
        swarm.markLoss(t0);
        if (kill) {
            handle.get().destroyForcibly();
        } else {
            handle.get().destroy();
        }
        Bench.out("control: restart");
        try {
            handle.get().onExit().get(backTimeout, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            Bench.out("%s: the server had not exited %d s after the signal", kill ? "storm" : "planned restart",
                    backTimeout);
        }
        double exited = (System.nanoTime() - t0) / 1e9;
        String line = control.readLine();
        long newPid = line != null && line.startsWith("pid ") ? Long.parseLong(line.substring(4).trim()) : -1;

        double listening = -1;
        double healthz = -1;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(server.resolve("/healthz")).timeout(Duration.ofSeconds(2)).build();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(backTimeout);
        while (System.nanoTime() < deadline && healthz < 0) {
            if (listening < 0) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(server.getHost(), AgentSwarm.port(server)), 200);
                    listening = (System.nanoTime() - t0) / 1e9;
                } catch (IOException e) {
                    Thread.sleep(5);
                    continue;
                }
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    healthz = (System.nanoTime() - t0) / 1e9;
                }
            } catch (IOException e) {
                Thread.sleep(10);
            }
        }
        while (System.nanoTime() < deadline && swarm.backOnline() < fleet) {
            Thread.sleep(10);
        }
        double allBack = (System.nanoTime() - t0) / 1e9;
        int back = swarm.backOnline();
        ServerProbe probe = new ServerProbe(server, token, newPid);
        ServerProbe.Status status = Bench.waitOnline(probe, fleet, 30);
        double serverAll = (System.nanoTime() - t0) / 1e9;
        Histogram h = swarm.backOnlineNanos();
        double loadCpuPercent = 100.0 * (HttpDriver.processCpuNanos() - loadCpu0) / (System.nanoTime() - t0);
        String what = kill ? String.format(Locale.ROOT, "storm (kill -9 with %d agents online)", fleet)
                : String.format(Locale.ROOT, "planned restart (SIGTERM with %d agents online, close codes %s)", fleet,
                swarm.closeCodes());
        Bench.out("%s: server gone after %.2f s, listening after %.2f s, /healthz after %.2f s", what, exited,
                listening, healthz);
        String rowName = kill ? String.format(Locale.ROOT, "kill -9 with %,d agents, restart", fleet)
                : String.format(Locale.ROOT, "planned restart (SIGTERM, close 1012) with %,d agents", fleet);
        Bench.row(rowName + ": listening", String.format(Locale.ROOT, "%.2f s (/healthz %.2f s)", listening, healthz));
        Bench.row(rowName + ": all back online", back >= fleet
                ? String.format(Locale.ROOT, "%.2f s (server's clients_online %s at %.2f s)", allBack,
                status == null ? "unknown" : Long.toString(status.clientsOnline), serverAll)
                : String.format(Locale.ROOT, "NOT within %d s: %d of %d", backTimeout, back, fleet));
        Bench.row(rowName + ": each agent back online", String.format(Locale.ROOT, "p50 %.2f s, p99 %.2f s, max %.2f s",
                h.getValueAtPercentile(50) / 1e9, h.getValueAtPercentile(99) / 1e9, h.getMaxValue() / 1e9));
        if (back >= fleet) {
            Bench.out("%s: all %d agents registered again after %.2f s (server's clients_online %s after %.2f s)",
                    what, fleet, allBack, status == null ? "unknown" : Long.toString(status.clientsOnline), serverAll);
        } else {
            Bench.out("%s: only %d of %d agents registered again within %d s (server's clients_online %s)", what, back,
                    fleet, backTimeout, status == null ? "unknown" : Long.toString(status.clientsOnline));
        }
        Bench.out("%s: each agent back online after p50 %.2f s  p99 %.2f s  max %.2f s; %d connection attempts "
                        + "(%.1f per agent); load generator CPU %.0f %% of one core meanwhile", what,
                h.getValueAtPercentile(50) / 1e9, h.getValueAtPercentile(99) / 1e9, h.getMaxValue() / 1e9,
                swarm.attempts() - attempts0, (swarm.attempts() - attempts0) / (double) fleet, loadCpuPercent);
        return newPid;
    }
}
