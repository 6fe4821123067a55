package org.classtop.plugins.managementsync.site;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the management server's side of the wire contract (real HTTP and a real WebSocket on
 * loopback, Undertow): {@code POST /api/lms/register} (token checked, a new key per registration, the old
 * one stops working), {@code /api/lms/heartbeat}, {@code /api/clients/register} and {@code /api/sync}
 * (key checked; writes recorded and applied once per {@code seq}/{@code sync_id}), and {@code /ws} taking the
 * LMS's register frame and its responses. {@link #stop()} and {@link #start()} take it down and up on the same port.
 */
final class StandInCentre implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One write the centre applied. */
    record Write(String path, JsonNode body) {
    }

    private final int port;
    private final String token;
    private final Object lifecycle = new Object();
    private Undertow server;
    private final AtomicInteger keys = new AtomicInteger();
    private volatile String currentKey;
    private final List<JsonNode> registrations = new ArrayList<>();
    private final List<String> registerTokens = new ArrayList<>();
    private final List<Write> applied = new ArrayList<>();
    private final Set<String> appliedIds = new LinkedHashSet<>();
    private int duplicates;
    private int unauthorized;
    private final List<JsonNode> frames = new ArrayList<>();
    private volatile WebSocketChannel lms;
    /** Each LMS WebSocket with the key its register frame carried. */
    private final Map<WebSocketChannel, String> sockets = new java.util.concurrent.ConcurrentHashMap<>();
    private int registeredWhileOldSocketOpen;
    private volatile java.util.function.Consumer<JsonNode> listener = frame -> { };

    StandInCentre(String token) {
        this.token = token;
        try (ServerSocket probe = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts (again) on the same port. Not under the recording lock: Undertow's stop waits for handlers that take it. */
    void start() {
        synchronized (lifecycle) {
            startServer();
        }
    }

    private void startServer() {
        server = Undertow.builder().addHttpListener(port, "127.0.0.1").setHandler(Handlers.path()
                .addExactPath("/ws", Handlers.websocket((exchange, channel) -> {
                    lms = channel;
                    channel.getReceiveSetter().set(new AbstractReceiveListener() {
                        @Override
                        protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) throws IOException {
                            JsonNode frame = JSON.readTree(message.getData());
                            if ("register".equals(frame.path("type").asText())) {
                                sockets.put(ch, frame.path("token").asText());
                            }
                            listener.accept(frame);
                            synchronized (StandInCentre.this) {
                                frames.add(frame);
                                StandInCentre.this.notifyAll();
                            }
                        }
                    });
                    channel.resumeReceives();
                }))
                .addPrefixPath("/api", new BlockingHandler(exchange -> {
                    byte[] bytes = exchange.getInputStream().readAllBytes();
                    String auth = exchange.getRequestHeaders().getFirst("Authorization");
                    String bearer = auth == null ? null : auth.replaceFirst("^Bearer ", "");
                    JsonNode body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
                    if (exchange.getRequestPath().equals("/api/lms/register")) {
                        awaitOldSocketsClosed();
                    }
                    Object[] answer = handle(exchange.getRequestPath(), bearer, body);
                    exchange.setStatusCode((Integer) answer[0]);
                    exchange.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE, "application/json");
                    exchange.getResponseSender().send((String) answer[1], StandardCharsets.UTF_8);
                })))
                .build();
        server.start();
    }

    void stop() {
        synchronized (lifecycle) {
            stopServer();
        }
    }

    private void stopServer() {
        if (lms != null) {
            try {
                lms.close();
            } catch (IOException ignored) {
                // going down anyway
            }
            lms = null;
        }
        server.stop();
    }

    /**
     * Like the real centre (which refuses LMS_CONNECTED while an LMS socket is open), a registration wants the
     * sockets of earlier keys gone: they get 5 s to close (the LMS aborts its socket first), then it is counted.
     */
    private void awaitOldSocketsClosed() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        while (sockets.keySet().stream().anyMatch(WebSocketChannel::isOpen)) {
            if (System.currentTimeMillis() > deadline) {
                synchronized (this) {
                    registeredWhileOldSocketOpen++;
                }
                return;
            }
            Thread.sleep(20);
        }
    }

    /** Registrations that came while a socket admitted by an earlier key was still open. */
    synchronized int registeredWhileOldSocketOpen() {
        return registeredWhileOldSocketOpen;
    }

    private synchronized Object[] handle(String path, String bearer, JsonNode body) {
        if (path.equals("/api/lms/register")) {
            if (token != null && !token.equals(bearer)) {
                return fail(401, "UNAUTHORIZED", "The registration token is not valid.");
            }
            registrations.add(body);
            registerTokens.add(bearer);
            currentKey = "key-" + keys.incrementAndGet();
            notifyAll();
            return ok("{\"lms_id\":\"7\",\"api_key\":\"" + currentKey + "\"}");
        }
        if (currentKey == null || !currentKey.equals(bearer)) {
            unauthorized++;
            return fail(401, "UNAUTHORIZED", "The API key is not valid.");
        }
        String id = body.hasNonNull("seq") ? "seq:" + body.get("seq").asText()
                : body.hasNonNull("sync_id") ? "sync:" + body.get("sync_id").asText() : null;
        if (id == null) {
            return fail(400, "INVALID_REQUEST", "The write carries no seq or sync_id.");
        }
        if (!path.equals("/api/lms/heartbeat") && !path.equals("/api/clients/register") && !path.equals("/api/sync")) {
            return fail(404, "NOT_FOUND", "No such route.");
        }
        if (appliedIds.add(id)) {
            applied.add(new Write(path, body));
        } else {
            duplicates++;
        }
        notifyAll();
        return ok("{}");
    }

    /** Also hands every frame from the LMS to {@code frames}, as it arrives (benchmarks). */
    void onFrame(java.util.function.Consumer<JsonNode> frames) {
        listener = frames;
    }

    /** Forgets the frames recorded so far (a long benchmark run). */
    synchronized void clearFrames() {
        frames.clear();
    }

    /** Makes the key issued so far stop working (as a rotation at the centre does). */
    synchronized void revokeKey() {
        currentKey = "revoked-" + currentKey;
    }

    synchronized List<JsonNode> registrations() {
        return List.copyOf(registrations);
    }

    synchronized List<String> registerTokens() {
        return List.copyOf(registerTokens);
    }

    synchronized List<Write> applied() {
        return List.copyOf(applied);
    }

    synchronized int duplicates() {
        return duplicates;
    }

    synchronized int unauthorized() {
        return unauthorized;
    }

    synchronized List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    /** Sends a frame to the LMS over its WebSocket. */
    void sendToLms(Object frame) {
        WebSocketChannel channel = lms;
        if (channel == null) {
            throw new IllegalStateException("no LMS is connected");
        }
        WebSockets.sendText(JSON.valueToTree(frame).toString(), channel, null);
    }

    /** Waits for the first frame matching {@code match}. */
    synchronized JsonNode awaitFrame(java.util.function.Predicate<JsonNode> match, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            for (JsonNode frame : frames) {
                if (match.test(frame)) {
                    return frame;
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("no " + what + " within 15 s; frames: " + frames);
            }
            wait(left);
        }
    }

    static Object[] ok(String dataJson) {
        return new Object[] {200, "{\"success\":true,\"data\":" + dataJson + "}"};
    }

    static Object[] fail(int status, String code, String sentence) {
        ObjectNode node = JSON.createObjectNode().put("success", false).put("error", sentence).put("code", code);
        return new Object[] {status, node.toString()};
    }

    boolean isLmsConnected() {
        return lms != null && lms.isOpen();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Override
    public void close() {
        stop();
    }
}
