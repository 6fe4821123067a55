package org.classtop.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A scripted ClassTop server on 127.0.0.1 and a free port: records every frame and close, answers
 * {@code register} with {@code registered} and heartbeats with {@code heartbeat_ack} unless told not to.
 * Tests wait for what they expect with a deadline.
 */
final class FakeServer implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(10);

    record Frame(Connection connection, Map<String, Object> json) {
        String type() {
            return String.valueOf(json.get("type"));
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> data() {
            return (Map<String, Object>) json.get("data");
        }
    }

    record Closed(Connection connection, int code, String reason) {
    }

    final class Connection {
        final String uuid;
        final int number;
        private final WebSocketChannel channel;

        Connection(String uuid, int number, WebSocketChannel channel) {
            this.uuid = uuid;
            this.number = number;
            this.channel = channel;
        }

        void send(Map<String, Object> frame) {
            WebSockets.sendText(Json.write(frame), channel, null);
        }

        void sendRaw(String text) {
            WebSockets.sendText(text, channel, null);
        }

        /** A close frame with a code and a reason, as the server sends when it refuses an agent. */
        void close(int code, String reason) {
            WebSockets.sendClose(code, reason, channel, null);
        }

        /** Cuts the TCP connection without a close frame. */
        void drop() {
            channel.getIoThread().execute(() -> org.xnio.IoUtils.safeClose(channel));
        }
    }

    private final Undertow undertow;
    private final URI url;
    private final List<Frame> frames = new ArrayList<>();
    private final List<Closed> closes = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();
    private final List<Object> taken = new ArrayList<>();
    private volatile Function<Frame, Map<String, Object>> registeredReply = FakeServer::approved;
    private volatile boolean ackHeartbeats = true;
    /** What {@code GET /api/plugins/{id}/agent-jar} serves, by id, to {@code Authorization: Bearer <downloadToken>}. */
    final Map<String, byte[]> agentJars = new java.util.concurrent.ConcurrentHashMap<>();
    volatile String downloadToken = "ctd_test";
    final List<String> downloads = new java.util.concurrent.CopyOnWriteArrayList<>();

    FakeServer() {
        undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(Handlers.path().addPrefixPath("/ws", Handlers.websocket((exchange, channel) -> {
                    String path = URI.create(exchange.getRequestURI()).getPath();
                    accept(path.substring(path.lastIndexOf('/') + 1), channel);
                })).addPrefixPath("/api/plugins", this::agentJar))
                .build();
        undertow.start();
        InetSocketAddress address = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        url = URI.create("http://127.0.0.1:" + address.getPort());
    }

    private void agentJar(io.undertow.server.HttpServerExchange exchange) {
        String path = exchange.getRelativePath();
        String[] parts = path.split("/");
        downloads.add(path);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (!("Bearer " + downloadToken).equals(authorization)) {
            exchange.setStatusCode(401).endExchange();
            return;
        }
        byte[] jar = parts.length == 3 && parts[2].equals("agent-jar") ? agentJars.get(parts[1]) : null;
        if (jar == null) {
            exchange.setStatusCode(404).endExchange();
            return;
        }
        exchange.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE, "application/java-archive");
        exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(jar));
    }

    static Map<String, Object> approved(Frame register) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("type", "registered");
        reply.put("client_uuid", register.json().get("client_uuid"));
        reply.put("status", "approved");
        return reply;
    }

    URI url() {
        return url;
    }

    /** What to answer a register frame with; a function returning null answers nothing. */
    void onRegister(Function<Frame, Map<String, Object>> reply) {
        this.registeredReply = reply;
    }

    void ackHeartbeats(boolean ack) {
        this.ackHeartbeats = ack;
    }

    /** The first frame of {@code type} not returned before, waiting up to the deadline. */
    Frame await(String type) throws InterruptedException {
        return await(frame -> frame.type().equals(type), "a '" + type + "' frame");
    }

    synchronized Frame await(Predicate<Frame> match, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            for (Frame frame : frames) {
                if (!containsSame(taken, frame) && match.test(frame)) {
                    taken.add(frame);
                    return frame;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("No " + what + " arrived within " + DEADLINE + "; frames: " + frames);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** The n-th connection (1-based), waiting up to the deadline. */
    synchronized Connection awaitConnection(int number) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (connections.size() < number) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Connection " + number + " did not arrive within " + DEADLINE
                        + "; connections: " + connections.size());
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return connections.get(number - 1);
    }

    synchronized Closed awaitClose() throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (closes.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("No close frame arrived within " + DEADLINE);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return closes.get(0);
    }

    synchronized List<Frame> frames() {
        return List.copyOf(frames);
    }

    @Override
    public void close() {
        undertow.stop();
    }

    private static boolean containsSame(List<Object> list, Object item) {
        for (Object element : list) {
            if (element == item) {
                return true;
            }
        }
        return false;
    }

    private void accept(String uuid, WebSocketChannel channel) {
        Connection connection;
        synchronized (this) {
            connection = new Connection(uuid, connections.size() + 1, channel);
            connections.add(connection);
            notifyAll();
        }
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                received(new Frame(connection, parse(message.getData())));
            }

            @Override
            protected void onFullCloseMessage(WebSocketChannel ch, io.undertow.websockets.core.BufferedBinaryMessage message) {
                CloseMessage close = new CloseMessage(message.getData().getResource());
                message.getData().free();
                synchronized (FakeServer.this) {
                    closes.add(new Closed(connection, close.getCode(), close.getReason()));
                    FakeServer.this.notifyAll();
                }
                WebSockets.sendClose(close.getCode(), "", ch, null);
            }
        });
        channel.resumeReceives();
    }

    private void received(Frame frame) {
        // Answer first, record second: a test that saw the register frame may rely on the answer being on its way.
        if (frame.type().equals("register")) {
            Map<String, Object> reply = registeredReply.apply(frame);
            if (reply != null) {
                frame.connection().send(reply);
            }
        } else if (frame.type().equals("heartbeat") && ackHeartbeats) {
            Map<String, Object> ack = new LinkedHashMap<>();
            ack.put("type", "heartbeat_ack");
            ack.put("timestamp", frame.json().get("timestamp"));
            frame.connection().send(ack);
        }
        synchronized (this) {
            frames.add(frame);
            notifyAll();
        }
    }

    private static Map<String, Object> parse(String text) {
        try {
            return Json.MAPPER.readValue(text, new TypeReference<Map<String, Object>>() {
            });
        } catch (IOException e) {
            throw new AssertionError("The agent sent a frame that is not a JSON object: " + text, e);
        }
    }
}
