package org.classtop.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hostile case for the benchmark ({@code --stalled N}): N agents register and then never read
 * again, while large commands (200 KiB each, 5 s time-out) are sent to them through the REST API for
 * the whole run, {@value #FLOOD_PER_SECOND} a second (4 MB/s: a rate at which parsing the REST bodies
 * alone does not saturate the server's core, so what shows is the cost of the agents that stopped reading). What it costs the server shows in the RSS figures and in the round trip of
 * the healthy agents; this class counts how the flood was answered.
 */
final class StalledAgents implements AutoCloseable {
    private static final int PAD_BYTES = 200 * 1024;
    private static final int IN_FLIGHT = 32;
    static final int FLOOD_PER_SECOND = 20;

    private final URI server;
    private final String token;
    private final List<String> uuids = new ArrayList<>();
    private final List<WebSocket> sockets = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean running = true;
    private Thread flood;

    private StalledAgents(URI server, String token) {
        this.server = server;
        this.token = token;
    }

    /** Connects and registers {@code count} agents that stop reading right after their {@code registered}. */
    static StalledAgents connect(URI server, String token, String runId, int count) throws Exception {
        StalledAgents agents = new StalledAgents(server, token);
        String ws = server.toString().replaceFirst("^http", "ws");
        for (int i = 0; i < count; i++) {
            String uuid = "stalled-" + runId + "-" + i;
            CompletableFuture<Void> registered = new CompletableFuture<>();
            WebSocket socket = agents.http.newWebSocketBuilder().buildAsync(URI.create(ws + "/ws/" + uuid), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    registered.complete(null); // and never webSocket.request(..) again: the agent hangs
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            socket.sendText("{\"type\":\"register\",\"client_uuid\":\"" + uuid + "\",\"name\":\"Stalled " + i
                    + "\",\"protocol\":1,\"capabilities\":[]}", true).get(10, TimeUnit.SECONDS);
            registered.get(10, TimeUnit.SECONDS);
            agents.sockets.add(socket);
            agents.uuids.add(uuid);
        }
        return agents;
    }

    /**
     * Sends large commands to the stalled agents, {@value #FLOOD_PER_SECOND} a second and at most
     * {@value #IN_FLIGHT} at a time, until {@link #close}.
     */
    void startFlood() {
        String body = "{\"command\":\"noop\",\"timeout\":5,\"params\":{\"pad\":\"" + "x".repeat(PAD_BYTES) + "\"}}";
        Semaphore slots = new Semaphore(IN_FLIGHT);
        flood = new Thread(() -> {
            int next = 0;
            long start = System.nanoTime();
            while (running) {
                try {
                    long due = start + next * (1_000_000_000L / FLOOD_PER_SECOND);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                String uuid = uuids.get(next++ % uuids.size());
                HttpRequest request = HttpRequest.newBuilder(server.resolve("/api/clients/" + uuid + "/command"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
                sent.incrementAndGet();
                http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                    int status = error != null ? -1 : response.statusCode();
                    statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                    slots.release();
                });
            }
        }, "bench-stalled-flood");
        flood.setDaemon(true);
        flood.start();
    }

    /** "N commands of 200 KiB: 503 xA, 504 xB, ...". */
    String summary() {
        StringBuilder sb = new StringBuilder();
        statuses.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sb.append(sb.length() == 0 ? "" : ", ")
                .append(e.getKey() == -1 ? "no answer" : "HTTP " + e.getKey()).append(" x").append(e.getValue().get()));
        return String.format(Locale.ROOT, "%d stalled agents, %d commands of %d KiB sent to them: %s", uuids.size(),
                sent.get(), PAD_BYTES / 1024, sb.length() == 0 ? "none answered" : sb);
    }

    @Override
    public void close() {
        running = false;
        if (flood != null) {
            flood.interrupt();
        }
        sockets.forEach(WebSocket::abort);
    }
}
