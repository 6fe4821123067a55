package org.classtop.dist;

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
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A stand-in for the management server (issue #11's centre part lands separately), speaking the wire contract
 * of the multi-site note over real HTTP and a real WebSocket on loopback: LMS registration (a new key per
 * registration), heartbeats, client registration (an LMS key, or the registration token, which issues a
 * {@code client_key}), syncs (an LMS key or that client's key), each write applied once per
 * {@code seq}/{@code sync_id}; and {@code /ws} taking the LMS's frames. Down and up on the same port.
 */
final class StandInCentre implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    record Write(String path, String bearer, JsonNode body) {
    }

    private final int port;
    private final String token;
    private final Object lifecycle = new Object();
    private Undertow server;
    private int keys;
    private String lmsKey;
    private final Map<String, String> clientKeys = new HashMap<>();
    private final List<JsonNode> registrations = new ArrayList<>();
    private final List<Write> applied = new ArrayList<>();
    private final Set<String> appliedIds = new LinkedHashSet<>();
    private int duplicates;
    private final List<JsonNode> frames = new ArrayList<>();
    private volatile WebSocketChannel lms;

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
        WebSocketChannel channel = lms;
        lms = null;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // going down anyway
            }
        }
        server.stop();
    }

    private synchronized Object[] handle(String path, String bearer, JsonNode body) {
        try {
            if (path.equals("/api/lms/register")) {
                if (!token.equals(bearer)) {
                    return fail(401, "UNAUTHORIZED", "The registration token is not valid.");
                }
                registrations.add(body);
                lmsKey = "lms-key-" + ++keys;
                return ok("{\"lms_id\":\"1\",\"api_key\":\"" + lmsKey + "\"}");
            }
            if (path.equals("/api/clients/register") && token.equals(bearer)) {
                String key = "client-key-" + ++keys;
                clientKeys.put(body.path("uuid").asText(), key);
                applied.add(new Write(path, bearer, body));
                return ok("{\"uuid\":\"" + body.path("uuid").asText() + "\",\"client_key\":\"" + key + "\"}");
            }
            boolean lmsCall = bearer != null && bearer.equals(lmsKey);
            boolean clientCall = bearer != null && path.equals("/api/sync")
                    && bearer.equals(clientKeys.get(body.path("client_uuid").asText()));
            if (!lmsCall && !clientCall) {
                return fail(401, "UNAUTHORIZED", "The key is not valid.");
            }
            String id = body.hasNonNull("seq") ? "seq:" + body.get("seq").asText()
                    : body.hasNonNull("sync_id") ? "sync:" + body.get("sync_id").asText() : null;
            if (id == null) {
                return fail(400, "INVALID_REQUEST", "The write carries no seq or sync_id.");
            }
            if (appliedIds.add(id)) {
                applied.add(new Write(path, bearer, body));
            } else {
                duplicates++;
            }
            return ok("{}");
        } finally {
            notifyAll();
        }
    }

    synchronized List<JsonNode> registrations() {
        return List.copyOf(registrations);
    }

    synchronized List<Write> applied() {
        return List.copyOf(applied);
    }

    synchronized List<Write> applied(String path) {
        return applied.stream().filter(w -> w.path().equals(path)).toList();
    }

    synchronized int duplicates() {
        return duplicates;
    }

    boolean lmsConnected() {
        WebSocketChannel channel = lms;
        return channel != null && channel.isOpen();
    }

    void sendToLms(Object frame) {
        WebSocketChannel channel = lms;
        if (channel == null) {
            throw new IllegalStateException("no LMS is connected");
        }
        WebSockets.sendText(JSON.valueToTree(frame).toString(), channel, null);
    }

    synchronized JsonNode awaitFrame(Predicate<JsonNode> match, String what, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            for (JsonNode frame : frames) {
                if (match.test(frame)) {
                    return frame;
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("no " + what + " within " + millis + " ms; frames: " + frames);
            }
            wait(left);
        }
    }

    private static Object[] ok(String dataJson) {
        return new Object[] {200, "{\"success\":true,\"data\":" + dataJson + "}"};
    }

    private static Object[] fail(int status, String code, String sentence) {
        ObjectNode node = JSON.createObjectNode().put("success", false).put("error", sentence).put("code", code);
        return new Object[] {status, node.toString()};
    }

    @Override
    public void close() {
        stop();
    }
}
