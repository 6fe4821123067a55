package org.classtop.plugins.clustermonitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A media server on 127.0.0.1 for tests: {@code GET /status} with a CPU figure and channels, and
 * {@code POST /channels/{id}/stop|start}. Each can answer normally, answer an error status, be slow, or
 * hang (until the test ends); the server can be stopped and started again on the same port. Every request
 * is recorded, in order, with its raw path.
 */
final class FakeMediaServer implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Status requests being answered right now, over every fake server (for the concurrency limit). */
    static final AtomicInteger GLOBAL_IN_FLIGHT = new AtomicInteger();
    static final AtomicInteger GLOBAL_MAX_IN_FLIGHT = new AtomicInteger();

    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-media-server");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<String> calls = new ArrayList<>();
    private final Map<String, String> channels = new LinkedHashMap<>();
    private final AtomicInteger statusRequests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private HttpServer server;
    private int port;

    volatile double cpu = 37.5;
    volatile int statusCode = 200;
    volatile String statusBodyOverride;
    volatile boolean hangStatus;
    volatile long statusDelayMillis;
    volatile int stopCode = 200;
    volatile int startCode = 200;
    volatile boolean hangControl;
    /** When false, a start leaves the channel as it is (a channel that stays down). */
    volatile boolean startFixesChannel = true;

    FakeMediaServer channel(String id, String state) {
        synchronized (channels) {
            channels.put(id, state);
        }
        return this;
    }

    FakeMediaServer start() {
        return startOn(0);
    }

    /** Starts (again) on the same port. */
    FakeMediaServer restart() {
        return startOn(port);
    }

    private FakeMediaServer startOn(int wanted) {
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 50);
                server.setExecutor(executor);
                server.createContext("/", this::handle);
                server.start();
                port = server.getAddress().getPort();
                return this;
            } catch (BindException e) {
                last = e; // the old socket may linger for a moment
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new UncheckedIOException("cannot listen on port " + wanted, last);
    }

    /** Stops listening: new connections are refused. */
    void stop() {
        server.stop(0);
    }

    int port() {
        return port;
    }

    int statusRequests() {
        return statusRequests.get();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    int inFlight() {
        return inFlight.get();
    }

    /** The requests other than GET /status, e.g. {@code POST /channels/ch1/stop}, in order. */
    List<String> controlCalls() {
        synchronized (calls) {
            return calls.stream().filter(c -> !c.startsWith("GET ")).toList();
        }
    }

    void clearCalls() {
        synchronized (calls) {
            calls.clear();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        synchronized (calls) {
            calls.add(method + " " + path);
        }
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            if (method.equals("GET") && path.equals("/status")) {
                status(exchange);
            } else if (method.equals("POST") && path.startsWith("/channels/") && (path.endsWith("/stop") || path.endsWith("/start"))) {
                control(exchange, path);
            } else {
                send(exchange, 404, "{\"error\":\"no such path\"}");
            }
        }
    }

    private void status(HttpExchange exchange) throws IOException {
        statusRequests.incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        int global = GLOBAL_IN_FLIGHT.incrementAndGet();
        GLOBAL_MAX_IN_FLIGHT.accumulateAndGet(global, Math::max);
        try {
            if (hangStatus) {
                hang();
                return;
            }
            if (statusDelayMillis > 0) {
                sleep(statusDelayMillis);
            }
            if (statusCode != 200) {
                send(exchange, statusCode, "{\"error\":\"database locked\"}");
                return;
            }
            if (statusBodyOverride != null) {
                send(exchange, 200, statusBodyOverride);
                return;
            }
            List<Map<String, Object>> list = new ArrayList<>();
            synchronized (channels) {
                channels.forEach((id, state) -> {
                    Map<String, Object> channel = new LinkedHashMap<>();
                    channel.put("id", id);
                    channel.put("name", "Channel " + id);
                    channel.put("state", state);
                    list.add(channel);
                });
            }
            send(exchange, 200, MAPPER.writeValueAsString(Map.of("cpu", cpu, "channels", list)));
        } finally {
            inFlight.decrementAndGet();
            GLOBAL_IN_FLIGHT.decrementAndGet();
        }
    }

    private void control(HttpExchange exchange, String path) throws IOException {
        if (hangControl) {
            hang();
            return;
        }
        boolean stop = path.endsWith("/stop");
        String id = java.net.URLDecoder.decode(path.substring("/channels/".length(), path.lastIndexOf('/')),
                StandardCharsets.UTF_8);
        int code = stop ? stopCode : startCode;
        if (code / 100 == 2) {
            synchronized (channels) {
                if (stop) {
                    channels.replace(id, "stopped");
                } else if (startFixesChannel) {
                    channels.replace(id, "running");
                }
            }
            send(exchange, code, "{\"ok\":true}");
        } else {
            send(exchange, code, "{\"error\":\"encoder busy\"}");
        }
    }

    private void hang() {
        try {
            released.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int code, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** servers.json entry for this fake. */
    Map<String, Object> entry(String id, String name) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", id);
        entry.put("name", name);
        entry.put("host", "127.0.0.1");
        entry.put("port", port);
        return entry;
    }

    @Override
    public void close() {
        released.countDown();
        if (server != null) {
            server.stop(0);
        }
        executor.shutdownNow();
    }
}
