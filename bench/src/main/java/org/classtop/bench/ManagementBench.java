package org.classtop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * The management server under many LMS ({@code bench/management.sh}): LMS register, then each heartbeats its
 * client list on its own schedule (spread over the interval, from the scheduled time: no coordinated omission),
 * with a share of clients changing status each time; meanwhile a few fake LMS keep a WebSocket on {@code /ws}
 * answering {@code lms_relay} at once, and {@code POST /api/control/command} is sent to their clients at a steady
 * rate to measure the routed round trip. Prints the server's CPU (from /proc) and the database rows it wrote
 * per second ({@code GET /api/management/stats}).
 */
public final class ManagementBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final String token;
    private final long serverPid;
    private final int lmsCount;
    private final int clientsPerLms;
    private final double interval;
    private final double churn;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
    private final String[] keys;
    private final long[] seq;
    private final boolean[][] online;
    private final Random random = new Random(42);

    private final Histogram heartbeatNanos = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private final LongAdder heartbeatsOk = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Semaphore inFlight = new Semaphore(512);
    /** A real LMS (bench/management.sh starts one from dist/ with --management-url at this centre); empty: none. */
    private String realLms = "";
    private int realLmsAgents = 20;

    private ManagementBench(Args args) {
        this.url = URI.create(args.required("url"));
        this.token = System.getenv("CLASSTOP_ADMIN_TOKEN");
        this.serverPid = args.longValue("server-pid", -1);
        this.lmsCount = args.integer("lms", 1000);
        this.clientsPerLms = args.integer("clients", 50);
        this.interval = Double.parseDouble(args.string("interval", "30"));
        this.churn = Double.parseDouble(args.string("churn", "0.02"));
        this.keys = new String[lmsCount];
        this.seq = new long[lmsCount];
        this.online = new boolean[lmsCount][clientsPerLms];
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        ManagementBench bench = new ManagementBench(args);
        bench.realLms = args.string("real-lms", "");
        bench.realLmsAgents = args.integer("real-lms-agents", 20);
        bench.run(args.integer("rounds", 3), args.integer("relay-lms", 10), args.integer("rtt-rate", 100),
                args.integer("rtt-seconds", 20));
        System.exit(0);
    }

    private void run(int rounds, int relayLms, int rttRate, int rttSeconds) throws Exception {
        System.out.printf("load: %d LMS x %d clients, a heartbeat per LMS every %.1f s (%.1f heartbeats/s), %.0f%% of clients "
                + "change status per heartbeat%n", lmsCount, clientsPerLms, interval, lmsCount / interval, churn * 100);
        long t0 = System.nanoTime();
        registerAll();
        System.out.printf("registered: %d LMS in %.1f s%n", lmsCount, (System.nanoTime() - t0) / 1e9);

        Sample initial = sample();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        long intervalNanos = (long) (interval * 1e9);
        // Each LMS at its own offset in the interval, as independent sites would be.
        AtomicLong due = new AtomicLong();
        long totalDue = (long) lmsCount * (rounds + 1 + (long) Math.ceil(rttSeconds / interval) + 1
                + (realLms.isEmpty() ? 0 : (long) Math.ceil((rttSeconds + 60) / interval)));
        timer.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            while (true) {
                long n = due.get();
                if (n >= totalDue) {
                    return;
                }
                long at = start + (n / lmsCount) * intervalNanos + (n % lmsCount) * intervalNanos / lmsCount;
                if (at > now || !due.compareAndSet(n, n + 1)) {
                    if (at > now) {
                        return;
                    }
                    continue;
                }
                heartbeat((int) (n % lmsCount), at);
            }
        }, 0, 5, TimeUnit.MILLISECONDS);

        // Round 1: every client is new (inserted); later rounds: only changes are written.
        sleepUntil(start + intervalNanos);
        Sample afterFirst = sample();
        report(String.format("first round (%,d client rows inserted)", (long) lmsCount * clientsPerLms), initial, afterFirst);
        sleepUntil(start + (rounds + 1) * intervalNanos);
        Sample steady = sample();
        report("steady (" + rounds + " rounds)", afterFirst, steady);

        // Routed commands through fake LMS (their WebSockets answer lms_relay at once), heartbeats still running.
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < relayLms && i < lmsCount; i++) {
            sockets.add(connectFakeLms(i));
        }
        Thread.sleep(1000);
        Sample before = sample();
        List<String> fakeTargets = new ArrayList<>();
        for (int i = 0; i < rttRate * rttSeconds; i++) {
            int lms = i % Math.min(relayLms, lmsCount);
            fakeTargets.add(clientUuid(lms, (i / Math.min(relayLms, lmsCount)) % clientsPerLms));
        }
        roundTrips(String.format("routed command round trip through an LMS (fake LMS answering lms_relay, %d of them; %d/s for %d s, "
                + "heartbeats going on)", Math.min(relayLms, lmsCount), rttRate, rttSeconds), fakeTargets, rttRate);
        Sample after = sample();
        report("during the routed commands", before, after);

        // Through a REAL LMS (the site part of management-sync relaying to fake agents on that LMS's /ws).
        if (!realLms.isEmpty()) {
            List<WebSocket> agents = new ArrayList<>();
            List<String> uuids = new ArrayList<>();
            String agentWs = realLms.replaceFirst("^http", "ws") + "/ws";
            for (int i = 0; i < realLmsAgents; i++) {
                String uuid = "bench-real-pc-" + i;
                uuids.add(uuid);
                agents.add(connect(agentWs, uuid, "Real LMS room " + i, "client", null, null));
            }
            String lmsId = awaitRealLmsHolding(uuids, Duration.ofSeconds(120));
            List<String> targets = new ArrayList<>();
            for (int i = 0; i < rttRate * rttSeconds; i++) {
                targets.add(uuids.get(i % uuids.size()));
            }
            Sample beforeReal = sample();
            roundTrips(String.format("routed command round trip through a REAL LMS (%s, lms_id %s; %d fake agents on it answering "
                    + "echo; %d/s for %d s, heartbeats going on)", realLms, lmsId, uuids.size(), rttRate, rttSeconds), targets, rttRate);
            report("during the routed commands through the real LMS", beforeReal, sample());
            for (WebSocket a : agents) {
                a.abort();
            }
        }
        timer.shutdownNow();
        for (WebSocket s : sockets) {
            s.abort();
        }
        System.out.printf("centre stats: %s%n", stats());
    }

    /** POST /api/control/command to each target in turn at {@code rate}/s (from the scheduled time); prints p50/p99. */
    private void roundTrips(String label, List<String> targets, int rate) throws Exception {
        Histogram rtt = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Map<String, LongAdder> rttErrors = new ConcurrentHashMap<>();
        long rttStart = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        String run = Long.toString(System.nanoTime(), 36);
        for (int i = 0; i < targets.size(); i++) {
            long at = rttStart + (long) (i * 1e9 / rate);
            sleepUntil(at);
            String body = JSON.writeValueAsString(Map.of("target_client", targets.get(i), "command", "echo", "params", Map.of("n", i),
                    "request_id", "bench-" + run + "-" + i, "timeout", 10));
            pending.add(http.sendAsync(post("/api/control/command", token, body), HttpResponse.BodyHandlers.ofString())
                    .handle((resp, error) -> {
                        long took = System.nanoTime() - at;
                        if (error != null) {
                            rttErrors.computeIfAbsent(error.getClass().getSimpleName(), k -> new LongAdder()).increment();
                        } else if (resp.statusCode() == 200) {
                            synchronized (rtt) {
                                rtt.recordValue(Math.min(took, rtt.getHighestTrackableValue()));
                            }
                        } else {
                            rttErrors.computeIfAbsent("HTTP " + resp.statusCode() + " " + code(resp.body()), k -> new LongAdder()).increment();
                        }
                        return null;
                    }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        System.out.printf("%s: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms; %d ok, errors %s%n", label,
                rtt.getValueAtPercentile(50) / 1e6, rtt.getValueAtPercentile(99) / 1e6, rtt.getValueAtPercentile(99.9) / 1e6,
                rtt.getMaxValue() / 1e6, rtt.getTotalCount(), rttErrors);
    }

    /** Waits until the centre lists the real LMS connected and holding every one of {@code uuids}; answers its lms_id. */
    private String awaitRealLmsHolding(List<String> uuids, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode site : get("/api/lms")) {
                if (site.path("lms_uuid").asText().startsWith("bench-lms-") || !site.path("connected").asBoolean()) {
                    continue;
                }
                String id = site.path("lms_id").asText();
                java.util.Set<String> held = new java.util.HashSet<>();
                get("/api/lms/" + id + "/clients").forEach(c -> held.add(c.path("uuid").asText()));
                if (held.containsAll(uuids)) {
                    return id;
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the real LMS did not show up connected with its " + uuids.size() + " agents at the centre within "
                + timeout);
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(url.resolve(path)).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(resp.body()).path("data");
    }

    // ---- LMS ---------------------------------------------------------------------------------------------------

    private static String lmsUuid(int i) {
        return "bench-lms-" + i;
    }

    private static String clientUuid(int lms, int client) {
        return "bench-lms-" + lms + "-pc-" + client;
    }

    private void registerAll() throws Exception {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        Semaphore gate = new Semaphore(32);
        for (int i = 0; i < lmsCount; i++) {
            int n = i;
            gate.acquire();
            String body = JSON.writeValueAsString(Map.of("lms_uuid", lmsUuid(n), "name", "Bench site " + n, "host", "10.9.0." + (n % 250),
                    "port", 8000, "version", "bench"));
            all.add(http.sendAsync(post("/api/lms/register", null, body), HttpResponse.BodyHandlers.ofString()).thenAccept(resp -> {
                gate.release();
                if (resp.statusCode() != 200) {
                    throw new IllegalStateException("register answered HTTP " + resp.statusCode() + ": " + resp.body());
                }
                try {
                    keys[n] = JSON.readTree(resp.body()).path("data").path("api_key").asText();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
    }

    private void heartbeat(int lms, long scheduledAt) {
        String body;
        synchronized (online[lms]) {
            boolean[] state = online[lms];
            ObjectNode hb = JSON.createObjectNode();
            hb.put("lms_uuid", lmsUuid(lms));
            hb.put("client_count", clientsPerLms);
            hb.put("seq", ++seq[lms]);
            hb.put("interval", Math.max(1, (int) Math.round(interval)));
            hb.put("outbox", 0);
            ArrayNode clients = hb.putArray("clients");
            for (int c = 0; c < clientsPerLms; c++) {
                if (seq[lms] == 1) {
                    state[c] = true;
                } else if (random.nextDouble() < churn) {
                    state[c] = !state[c];
                }
                clients.addObject().put("uuid", clientUuid(lms, c)).put("name", "Room " + c).put("status", state[c] ? "online" : "offline");
            }
            body = hb.toString();
        }
        if (!inFlight.tryAcquire()) {
            errors.computeIfAbsent("skipped: 512 heartbeats already waiting", k -> new LongAdder()).increment();
            return;
        }
        http.sendAsync(post("/api/lms/heartbeat", keys[lms], body), HttpResponse.BodyHandlers.ofString()).whenComplete((resp, error) -> {
            inFlight.release();
            long took = System.nanoTime() - scheduledAt;
            if (error != null) {
                errors.computeIfAbsent(error.getClass().getSimpleName(), k -> new LongAdder()).increment();
            } else if (resp.statusCode() == 200) {
                heartbeatsOk.increment();
                synchronized (heartbeatNanos) {
                    heartbeatNanos.recordValue(Math.min(took, heartbeatNanos.getHighestTrackableValue()));
                }
            } else {
                errors.computeIfAbsent("HTTP " + resp.statusCode() + " " + code(resp.body()), k -> new LongAdder()).increment();
            }
        });
    }

    private WebSocket connectFakeLms(int lms) throws Exception {
        return connect(url.toString().replaceFirst("^http", "ws") + "/ws", lmsUuid(lms), "Bench site " + lms, "lms", "lms_relay", keys[lms]);
    }

    /**
     * A fake peer on a {@code /ws}: registers (as an LMS with its key, or as a plain client) and answers every command
     * at once with its inner params ({@code lms_relay}) or its params (a client's {@code echo}).
     */
    private WebSocket connect(String ws, String uuid, String name, String clientType, String capability, String key) throws Exception {
        CompletableFuture<Void> registered = new CompletableFuture<>();
        boolean relay = "lms".equals(clientType);
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        JsonNode frame = JSON.readTree(partial.toString());
                        String type = frame.path("type").asText();
                        if ("registered".equals(type)) {
                            registered.complete(null);
                        } else if ("command".equals(type)) {
                            ObjectNode answer = JSON.createObjectNode();
                            answer.put("type", "response");
                            answer.put("request_id", frame.path("request_id").asText());
                            answer.put("success", true);
                            answer.putObject("data").set("echo", relay ? frame.path("params").path("params") : frame.path("params"));
                            synchronized (this) {
                                webSocket.sendText(answer.toString(), true).join();
                            }
                        }
                    } catch (IOException e) {
                        registered.completeExceptionally(e);
                    }
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                registered.completeExceptionally(new IllegalStateException("closed " + statusCode + ": " + reason));
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        ObjectNode register = JSON.createObjectNode();
        register.put("type", "register");
        register.put("client_uuid", uuid);
        register.put("name", name);
        register.put("client_type", clientType);
        register.put("protocol", 1);
        register.put("agent_version", "bench");
        ArrayNode caps = register.putArray("capabilities");
        if (capability != null) {
            caps.add(capability);
        }
        if (key != null) {
            register.put("token", key);
        }
        socket.sendText(register.toString(), true).get(5, TimeUnit.SECONDS);
        registered.get(10, TimeUnit.SECONDS);
        return socket;
    }

    // ---- figures -----------------------------------------------------------------------------------------------

    private record Sample(long atNanos, long cpuTicks, long rows, long heartbeats, long writes) {
    }

    private Sample sample() throws Exception {
        JsonNode s = stats();
        return new Sample(System.nanoTime(), cpuTicks(), s.path("rows_written").asLong(), s.path("heartbeats").asLong(),
                s.path("writes").asLong());
    }

    private void report(String what, Sample from, Sample to) {
        double seconds = (to.atNanos() - from.atNanos()) / 1e9;
        double cpu = (to.cpuTicks() - from.cpuTicks()) / 100.0 / seconds * 100;
        System.out.printf("%s: %.1f s, server CPU %.1f%% of one core, database %.0f rows/s (%d rows in %d writes), heartbeats "
                        + "applied %.1f/s, heartbeat answer p50 %.1f ms p99 %.1f ms max %.1f ms, errors %s%n",
                what, seconds, cpu, (to.rows() - from.rows()) / seconds, to.rows() - from.rows(), to.writes() - from.writes(),
                (to.heartbeats() - from.heartbeats()) / seconds, heartbeatNanos.getValueAtPercentile(50) / 1e6,
                heartbeatNanos.getValueAtPercentile(99) / 1e6, heartbeatNanos.getMaxValue() / 1e6, errors);
        heartbeatNanos.reset();
    }

    private JsonNode stats() throws Exception {
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(url.resolve("/api/management/stats"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(resp.body()).path("data");
    }

    /** utime + stime of the server process, in clock ticks (1/100 s). */
    private long cpuTicks() {
        if (serverPid <= 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + serverPid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private HttpRequest post(String path, String bearer, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return b.build();
    }

    private static String code(String body) {
        try {
            return JSON.readTree(body).path("code").asText();
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(50)));
        }
    }
}
