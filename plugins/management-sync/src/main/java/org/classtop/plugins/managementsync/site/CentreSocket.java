package org.classtop.plugins.managementsync.site;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.classtop.api.Failures;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LMS's one WebSocket to the centre's {@code /ws}, as {@code client_type "lms"} presenting its API key
 * (JDK HttpClient WebSocket). Reconnects by itself with a jittered exponential backoff (1 s doubling to 60 s),
 * sends a {@code heartbeat} frame every heartbeat round, and answers the centre's {@code lms_relay} commands by
 * sending the inner command to the local agent under the same request id ({@link AgentCommands}), then
 * {@code {"type":"response","request_id":R,"success":..,"data":..}}.
 *
 * <p>Bounds: a frame from the centre is at most {@value #MAX_FRAME_CHARS} characters (a longer one is
 * dropped), at most {@value #MAX_IN_FLIGHT} relayed commands wait for their agents at once (more are answered
 * {@code LMS_BUSY}), and each waits at most 600 s.
 */
final class CentreSocket {
    private static final Logger LOG = LoggerFactory.getLogger(CentreSocket.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_FRAME_CHARS = 1 << 20;
    static final int MAX_IN_FLIGHT = 256;
    private static final long FIRST_BACKOFF_MS = 1_000;
    private static final long MAX_BACKOFF_MS = 60_000;

    private final SiteSettings settings;
    private final SiteIdentity identity;
    private final AgentCommands commands;
    private final HttpClient http;
    private final ScheduledExecutorService executor;
    private final AtomicLong relayed = new AtomicLong();
    private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(MAX_IN_FLIGHT);

    private WebSocket socket;
    private boolean connecting;
    private boolean closed;
    private long backoffMs = FIRST_BACKOFF_MS;
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
    private long generation;

    CentreSocket(SiteSettings settings, SiteIdentity identity, AgentCommands commands, HttpClient http,
                 ScheduledExecutorService executor) {
        this.settings = settings;
        this.identity = identity;
        this.commands = commands;
        this.http = http;
        this.executor = executor;
    }

    synchronized boolean connected() {
        return socket != null;
    }

    long relayed() {
        return relayed.get();
    }

    /** A heartbeat frame when connected; connects when neither connected nor connecting. */
    void heartbeat() {
        WebSocket current;
        synchronized (this) {
            current = socket;
        }
        if (current != null) {
            send(current, "{\"type\":\"heartbeat\",\"timestamp\":" + Instant.now().toEpochMilli() / 1000.0 + "}");
        } else {
            connect();
        }
    }

    /** The key changed: drop the connection (if any) and connect with the new one. */
    void reconnectNow() {
        WebSocket old;
        synchronized (this) {
            old = socket;
            socket = null;
            generation++;
            backoffMs = FIRST_BACKOFF_MS;
        }
        if (old != null) {
            old.abort();
        }
        connect();
    }

    /**
     * The key was forgotten (the centre refused it): drop the connection it admitted, without reconnecting, so
     * the centre sees this LMS offline before it registers again (else the centre answers LMS_CONNECTED).
     */
    void disconnect() {
        WebSocket old;
        synchronized (this) {
            old = socket;
            socket = null;
            generation++;
        }
        if (old != null) {
            old.abort();
            LOG.info("[management-sync] WebSocket to the centre dropped: its key is no longer valid");
        }
    }

    synchronized void close() {
        closed = true;
        generation++;
        if (socket != null) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "LMS stopping");
            socket = null;
        }
    }

    private void connect() {
        String key = identity.apiKey().orElse(null);
        long myGeneration;
        synchronized (this) {
            if (closed || connecting || socket != null || key == null) {
                return;
            }
            connecting = true;
            myGeneration = generation;
        }
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(settings.centreWebSocket(), new Listener(myGeneration))
                .whenComplete((ws, error) -> {
                    synchronized (this) {
                        connecting = false;
                        if (error != null || closed || myGeneration != generation) {
                            if (ws != null) {
                                ws.abort();
                            }
                            if (error != null) {
                                LOG.debug("[management-sync] WebSocket to {} failed: {}", settings.centreWebSocket(),
                                        Failures.unwrap(error).toString());
                                scheduleReconnect();
                            }
                            return;
                        }
                        socket = ws;
                        backoffMs = FIRST_BACKOFF_MS;
                    }
                    ObjectNode register = JSON.createObjectNode();
                    register.put("type", "register");
                    register.put("client_uuid", identity.lmsUuid());
                    register.put("name", settings.siteName());
                    register.put("client_type", "lms");
                    register.put("protocol", 1);
                    register.put("agent_version", settings.version());
                    register.putArray("capabilities").add("lms_relay");
                    register.put("token", key);
                    send(ws, register.toString());
                    LOG.info("[management-sync] WebSocket to {} open", settings.centreWebSocket());
                });
    }

    /** Called with the lock held. */
    private void scheduleReconnect() {
        if (closed) {
            return;
        }
        long delay = backoffMs / 2 + ThreadLocalRandom.current().nextLong(backoffMs / 2 + 1);
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        try {
            executor.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    private void lost(long myGeneration, String why) {
        synchronized (this) {
            if (myGeneration != generation) {
                return;
            }
            socket = null;
            generation++;
            LOG.info("[management-sync] WebSocket to the centre closed ({}); reconnecting", why);
            scheduleReconnect();
        }
    }

    /** Frames go one after the other (the JDK WebSocket takes one send at a time). */
    private synchronized void send(WebSocket ws, String text) {
        sendChain = sendChain.handle((r, e) -> null)
                .thenCompose(ignored -> ws.sendText(text, true))
                .exceptionally(error -> {
                    LOG.debug("[management-sync] a frame to the centre was not sent: {}", error.toString());
                    return null;
                });
    }

    private void onFrame(WebSocket ws, String text) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (Exception e) {
            LOG.debug("[management-sync] a frame from the centre is not JSON; ignored");
            return;
        }
        if (frame == null || !"command".equals(frame.path("type").asText())) {
            return; // registered, heartbeat_ack, ...
        }
        String requestId = frame.path("request_id").asText("");
        if (requestId.isEmpty()) {
            return;
        }
        if (!"lms_relay".equals(frame.path("command").asText())) {
            answer(ws, requestId, false, failure("UNKNOWN_COMMAND", "This LMS answers only lms_relay, not '"
                    + frame.path("command").asText() + "'."));
            return;
        }
        if (!inFlight.tryAcquire()) {
            answer(ws, requestId, false, failure("LMS_BUSY", "This LMS is relaying " + MAX_IN_FLIGHT
                    + " commands already; try again shortly."));
            return;
        }
        CompletionStage<Object> outcome;
        try {
            outcome = LmsRelay.relay(commands, requestId, frame.path("params"), settings.relayRequester());
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((data, error) -> {
            inFlight.release();
            relayed.incrementAndGet();
            if (error == null) {
                answer(ws, requestId, true, data);
            } else {
                Throwable cause = Failures.unwrap(error);
                if (cause instanceof ApiException api) {
                    answer(ws, requestId, false, failure(api.code(), api.getMessage()));
                } else {
                    LOG.warn("[management-sync] relaying {} failed", requestId, cause);
                    answer(ws, requestId, false, failure("COMMAND_FAILED", "The command could not be relayed."));
                }
            }
        });
    }

    private static Map<String, Object> failure(String code, String sentence) {
        return Map.of("error", sentence, "code", code);
    }

    private void answer(WebSocket ws, String requestId, boolean success, Object data) {
        ObjectNode response = JSON.createObjectNode();
        response.put("type", "response");
        response.put("request_id", requestId);
        response.put("success", success);
        response.set("data", JSON.valueToTree(data));
        send(ws, response.toString());
    }

    private final class Listener implements WebSocket.Listener {
        private final long myGeneration;
        private final StringBuilder partial = new StringBuilder();
        private boolean oversized;

        Listener(long myGeneration) {
            this.myGeneration = myGeneration;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (!oversized) {
                if (partial.length() + data.length() > MAX_FRAME_CHARS) {
                    oversized = true;
                    partial.setLength(0);
                    LOG.warn("[management-sync] a frame from the centre is longer than {} characters; dropped",
                            MAX_FRAME_CHARS);
                } else {
                    partial.append(data);
                }
            }
            if (last) {
                String text = oversized ? null : partial.toString();
                partial.setLength(0);
                oversized = false;
                if (text != null) {
                    onFrame(ws, text);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            lost(myGeneration, statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            lost(myGeneration, error.toString());
        }
    }

}
