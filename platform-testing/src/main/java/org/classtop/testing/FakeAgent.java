package org.classtop.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.classtop.core.hub.LaneFrame;

/**
 * A scripted agent on the JDK WebSocket client. It answers commands from its script (an unknown
 * command gets {@code success:false} with a sentence, as a real agent does) and records every frame
 * it receives, so tests can wait for one.
 */
public final class FakeAgent implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A scripted failure: the agent answers {@code success:false} with this sentence. */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final transient Map<String, Object> extra;

        public Failure(String sentence) {
            this(sentence, Map.of());
        }

        /** A failure with the agent's code ({@code data.code}, as {@code CommandException.withCode(code, message)} sends it). */
        public Failure(String sentence, String code) {
            this(sentence, Map.of("code", code));
        }

        /** A failure whose {@code data} carries {@code extra} beside {@code error} (e.g. a relay's {@code code}). */
        public Failure(String sentence, Map<String, Object> extra) {
            super(sentence);
            this.extra = Map.copyOf(extra);
        }
    }

    private final String uuid;
    private final Map<String, Function<JsonNode, Object>> script = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final List<JsonNode> history = new ArrayList<>();
    private final CompletableFuture<int[]> closed = new CompletableFuture<>();
    private volatile String closeReason;
    private volatile boolean silent;
    private volatile boolean stalled;
    private WebSocket socket;
    private final StringBuilder partial = new StringBuilder();
    private CompletableFuture<Void> sending = CompletableFuture.completedFuture(null);

    public FakeAgent(String uuid) {
        this.uuid = uuid;
    }

    public String uuid() {
        return uuid;
    }

    /** Answers {@code command} with what {@code handler} returns (throw {@link Failure} for success:false). */
    public FakeAgent on(String command, Function<JsonNode, Object> handler) {
        script.put(command, handler);
        return this;
    }

    /** Stops answering commands (a silent client, for time-out tests). */
    public FakeAgent silent() {
        silent = true;
        return this;
    }

    /** Stops reading from the connection altogether (a hung PC): the server's frames pile up unread. */
    public FakeAgent stallReading() {
        stalled = true;
        return this;
    }

    /** Reads again after {@link #stallReading()}: what piled up arrives. */
    public FakeAgent resumeReading() {
        stalled = false;
        WebSocket ws = socket;
        if (ws != null) {
            ws.request(1);
        }
        return this;
    }

    /** Opens the connection (no frame is sent yet). */
    public FakeAgent connect(String wsUrl) {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(wsUrl), new Listener()).join();
        return this;
    }

    /** Connects and sends the SPEC register frame with {@code extra} fields (e.g. token) added. */
    public FakeAgent register(String wsUrl, String name, Map<String, Object> extra) {
        connect(wsUrl);
        ObjectNode frame = MAPPER.createObjectNode();
        frame.put("type", "register");
        frame.put("client_uuid", uuid);
        frame.put("name", name);
        frame.put("client_type", "client");
        frame.put("protocol", 1);
        frame.put("agent_version", "fake-1");
        frame.set("capabilities", MAPPER.valueToTree(new ArrayList<>(script.keySet())));
        extra.forEach((k, v) -> frame.set(k, MAPPER.valueToTree(v)));
        send(frame.toString());
        return this;
    }

    public synchronized void send(String text) {
        WebSocket ws = socket;
        sending = sending.thenCompose(v -> ws.sendText(text, true)).thenApply(w -> null);
        sending.join();
    }

    /** Sends one binary frame as it is (for hostile tests: any bytes). */
    public synchronized void sendBinary(byte[] bytes) {
        WebSocket ws = socket;
        sending = sending.thenCompose(v -> ws.sendBinary(java.nio.ByteBuffer.wrap(bytes), true)).thenApply(w -> null);
        sending.join();
    }

    /** A live frame on the binary lane ({@code stream} is {@code <plugin-id>.<name>}; docs/protocol.md). */
    public void sendLive(String stream, byte[] frame) {
        sendBinary(LaneFrame.encode(LaneFrame.Kind.LIVE, stream, 0, frame));
    }

    /** A chunk of transfer {@code transferId} (a positive number of this connection's choosing). */
    public void sendChunk(String stream, long transferId, byte[] chunk) {
        sendBinary(LaneFrame.encode(LaneFrame.Kind.CHUNK, stream, transferId, chunk));
    }

    public void sendTransferEnd(String stream, long transferId) {
        sendBinary(LaneFrame.encode(LaneFrame.Kind.END, stream, transferId, new byte[0]));
    }

    public void sendTransferAbort(String stream, long transferId, String reason) {
        sendBinary(LaneFrame.encode(LaneFrame.Kind.ABORT, stream, transferId,
                reason.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    public void sendJson(Object frame) {
        try {
            send(MAPPER.writeValueAsString(frame));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void heartbeat() {
        sendJson(Map.of("type", "heartbeat", "timestamp", System.currentTimeMillis() / 1000.0));
    }

    public void stateUpdate(Map<String, Object> data) {
        sendJson(Map.of("type", "state_update", "data", data));
    }

    /** Waits for the next received frame of {@code type}; frames of other types are kept in {@link #history()}. */
    public JsonNode await(String type, Duration timeout) {
        return await(f -> type.equals(f.path("type").asText()), timeout, "a '" + type + "' frame");
    }

    public JsonNode await(Predicate<JsonNode> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode frame = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
                if (frame == null) {
                    throw new AssertionError("No " + what + " within " + timeout + "; received: " + history());
                }
                if (condition.test(frame)) {
                    return frame;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits until the server closes the connection; answers {code, reason}. */
    public Closed awaitClosed(Duration timeout) {
        try {
            int[] code = closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Closed(code[0], closeReason);
        } catch (Exception e) {
            throw new AssertionError("The server did not close the connection within " + timeout, e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public record Closed(int code, String reason) {
    }

    public synchronized List<JsonNode> history() {
        return List.copyOf(history);
    }

    /** Drops the TCP connection without a close frame (as a crashed PC would). */
    public void abort() {
        if (socket != null) {
            socket.abort();
        }
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                socket.abort();
            }
        }
    }

    private void onFrame(JsonNode frame) {
        synchronized (this) {
            history.add(frame);
        }
        received.add(frame);
        if ("command".equals(frame.path("type").asText()) && !silent) {
            answer(frame);
        }
    }

    private void answer(JsonNode command) {
        ObjectNode reply = MAPPER.createObjectNode();
        reply.put("type", "response");
        reply.put("request_id", command.path("request_id").asText());
        String name = command.path("command").asText();
        Function<JsonNode, Object> handler = script.get(name);
        try {
            if (handler == null) {
                throw new Failure("Unknown command '" + name + "': this agent does not provide it.");
            }
            Object data = handler.apply(command.path("params"));
            reply.put("success", true);
            reply.set("data", MAPPER.valueToTree(data == null ? Map.of() : data));
        } catch (RuntimeException e) {
            reply.put("success", false);
            ObjectNode data = MAPPER.createObjectNode().put("error", e.getMessage());
            if (e instanceof Failure failure) {
                failure.extra.forEach((k, v) -> data.set(k, MAPPER.valueToTree(v)));
            }
            reply.set("data", data);
        }
        CompletableFuture.runAsync(() -> send(reply.toString()));
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    onFrame(MAPPER.readTree(text));
                } catch (Exception e) {
                    onFrame(MAPPER.createObjectNode().put("type", "unparsable").put("text", text));
                }
            }
            if (!stalled) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closed.complete(new int[]{statusCode});
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeReason = String.valueOf(error.getMessage());
            closed.complete(new int[]{-1});
        }
    }
}
