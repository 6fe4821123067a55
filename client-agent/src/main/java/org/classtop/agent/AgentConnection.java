package org.classtop.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.classtop.api.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection to the server: sends {@code register} on open, heartbeats every interval,
 * aborts when the server has been silent for three intervals, assembles text frames and hands each
 * parsed frame to the {@link ServerFrameHandler}. {@link #closed()} completes once, however it ends.
 */
final class AgentConnection implements WebSocket.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(AgentConnection.class);
    static final int SILENT_INTERVALS = 3;
    private static final int MAX_FRAME_CHARS = 16 * 1024 * 1024;

    /** How the connection ended; {@code code} is the WebSocket close code, 1006 when it was cut. */
    record Closure(int code, String reason) {
        static final int GOING_AWAY = 1001;
        static final int ABNORMAL = 1006;
        static final int POLICY_VIOLATION = 1008;
        /** The server is restarting (RFC 6455 registry: Service Restart). */
        static final int SERVICE_RESTART = 1012;
    }

    private final URI uri;
    private final ScheduledExecutorService timer;
    private final ServerFrameHandler handler;
    private final CompletableFuture<Closure> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private volatile OutboundQueue outbound;
    private volatile long lastReceivedNanos = System.nanoTime();
    private volatile long openedNanos;
    private volatile boolean registered;
    private Duration heartbeat;
    private ScheduledFuture<?> ticker;

    AgentConnection(URI uri, Duration heartbeat, ScheduledExecutorService timer, ServerFrameHandler handler) {
        this.uri = uri;
        this.heartbeat = heartbeat;
        this.timer = timer;
        this.handler = handler;
    }

    /** Starts the opening handshake; the stage fails with a readable exception when it cannot connect. */
    CompletableFuture<WebSocket> open(HttpClient client, Duration connectTimeout) {
        return client.newWebSocketBuilder()
                .connectTimeout(connectTimeout)
                .buildAsync(uri, this)
                .orTimeout(connectTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    }

    /** A one-line reason why {@link #open} failed. */
    static String describeOpenFailure(Throwable error) {
        Throwable cause = Failures.unwrap(error);
        if (cause instanceof WebSocketHandshakeException handshake) {
            return "the server answered HTTP " + handshake.getResponse().statusCode() + " instead of a WebSocket";
        }
        if (cause instanceof java.util.concurrent.TimeoutException || cause instanceof java.net.http.HttpTimeoutException) {
            return "no answer in time";
        }
        if (cause instanceof java.net.ConnectException && firstMessage(cause) == null) {
            return "connection refused";
        }
        String message = firstMessage(cause);
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String firstMessage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return null;
    }

    URI uri() {
        return uri;
    }

    CompletableFuture<Closure> closed() {
        return closed;
    }

    boolean isOpen() {
        return outbound != null && !closed.isDone();
    }

    boolean isRegistered() {
        return registered && isOpen();
    }

    void markRegistered() {
        registered = true;
    }

    boolean wasOpened() {
        return openedNanos != 0;
    }

    /** How long it has been open (zero if it never opened). */
    Duration uptime() {
        return openedNanos == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - openedNanos);
    }

    /** Queues a frame; false when the connection is not open or the frame was dropped. */
    boolean send(Map<String, Object> frame) {
        OutboundQueue queue = outbound;
        if (queue == null || closed.isDone()) {
            return false;
        }
        return queue.sendText(Json.write(frame));
    }

    /** Feeds this connection from the binary lane: its frames go whenever no text frame waits. */
    void attachBinary(java.util.function.Supplier<ByteBuffer> source) {
        OutboundQueue queue = outbound;
        if (queue != null) {
            queue.binarySource(source);
        }
    }

    /** The binary lane has a frame ready to go. */
    void binaryReady() {
        OutboundQueue queue = outbound;
        if (queue != null && !closed.isDone()) {
            queue.binaryReady();
        }
    }

    /** Adopts the interval the server asked for. */
    synchronized void changeHeartbeat(Duration interval) {
        if (interval.isNegative() || interval.isZero() || interval.equals(heartbeat)) {
            return;
        }
        heartbeat = interval;
        if (ticker != null) {
            ticker.cancel(false);
            scheduleTicker();
        }
    }

    synchronized Duration heartbeat() {
        return heartbeat;
    }

    /** Sends a close frame after the queued frames; aborts if the server does not close within {@code grace}. */
    CompletableFuture<Closure> close(int code, String reason, Duration grace) {
        OutboundQueue queue = outbound;
        if (queue == null || closed.isDone()) {
            abort(reason);
            return closed;
        }
        stopTicker();
        queue.sendClose(code, reason);
        ScheduledFuture<?> deadline = timer.schedule(() -> abort(reason), grace.toMillis(), TimeUnit.MILLISECONDS);
        closed.whenComplete((closure, error) -> deadline.cancel(false));
        return closed;
    }

    /** Cuts the connection at once. */
    void abort(String reason) {
        stopTicker();
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        closed.complete(new Closure(Closure.ABNORMAL, reason));
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        if (closed.isDone()) {
            webSocket.abort();
            return;
        }
        openedNanos = System.nanoTime();
        lastReceivedNanos = openedNanos;
        outbound = new OutboundQueue(webSocket, OutboundQueue.DEFAULT_LIMIT,
                error -> abort("sending failed: " + describeOpenFailure(error)));
        send(handler.registerFrame());
        synchronized (this) {
            scheduleTicker();
        }
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        lastReceivedNanos = System.nanoTime();
        partial.append(data);
        if (partial.length() > MAX_FRAME_CHARS) {
            abort("the server sent a frame larger than " + MAX_FRAME_CHARS + " characters");
            return null;
        }
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            dispatch(text);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        lastReceivedNanos = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        lastReceivedNanos = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        lastReceivedNanos = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        stopTicker();
        closed.complete(new Closure(statusCode, reason == null ? "" : reason));
        OutboundQueue queue = outbound;
        if (queue != null) {
            queue.sendClose(WebSocket.NORMAL_CLOSURE, "").whenComplete((ignored, error) -> webSocket.abort());
        } else {
            webSocket.abort();
        }
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        stopTicker();
        closed.complete(new Closure(Closure.ABNORMAL, describeOpenFailure(error)));
    }

    private void dispatch(String text) {
        Map<String, Object> frame;
        try {
            frame = Json.readObject(text);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring a frame from the server: {}", e.getMessage());
            return;
        }
        try {
            handler.onFrame(this, frame);
        } catch (RuntimeException e) {
            LOG.error("Handling a '{}' frame from the server failed", frame.get("type"), e);
        }
    }

    private void scheduleTicker() {
        if (closed.isDone()) {
            return;
        }
        long millis = Math.max(1, heartbeat.toMillis());
        ticker = timer.scheduleAtFixedRate(this::tick, millis, millis, TimeUnit.MILLISECONDS);
    }

    private synchronized void stopTicker() {
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }

    private void tick() {
        try {
            heartbeatOrGiveUp();
        } catch (RuntimeException e) {
            LOG.error("The heartbeat task failed", e);
        }
    }

    private void heartbeatOrGiveUp() {
        WebSocket ws = socket;
        if (ws != null && (ws.isInputClosed() || ws.isOutputClosed())) {
            // The JDK does not always call onClose/onError when the peer vanishes; do not wait for the watchdog.
            abort("the connection was closed");
            return;
        }
        Duration interval = heartbeat();
        long silentNanos = System.nanoTime() - lastReceivedNanos;
        if (silentNanos > interval.toNanos() * SILENT_INTERVALS) {
            LOG.warn("Nothing arrived from {} for {} ms: dropping the connection", uri,
                    TimeUnit.NANOSECONDS.toMillis(silentNanos));
            abort("the server was silent for " + SILENT_INTERVALS + " heartbeat intervals");
            return;
        }
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "heartbeat");
        frame.put("timestamp", System.currentTimeMillis() / 1000.0);
        send(frame);
    }
}
