package org.classtop.core.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.classtop.api.Registration;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.Caller;
import org.classtop.api.server.WebSocketHandler;
import org.classtop.api.server.WebSocketSession;
import org.classtop.core.auth.Authenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * A plugin's browser WebSocket route. Registered in the {@link RouteRegistry} as a GET route (so it is
 * matched, authenticated, role-checked and listed in the OpenAPI document like any other); a GET
 * without {@code Upgrade: websocket} gets 426. Each socket's outbound bytes not yet written are bounded
 * (over the bound the socket is closed), inbound messages are at most 64 KiB, and calls into the
 * handler for one socket run one at a time on a worker thread.
 */
public final class WebSocketEndpoint implements org.classtop.api.server.RouteHandler {
    static final int MAX_MESSAGE_BYTES = 64 * 1024;
    static final int MAX_PENDING_INBOUND = 256;
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketEndpoint.class);
    private static final AttachmentKey<Session> SESSION = AttachmentKey.create(Session.class);

    private final String owner;
    private final WebSocketHandler handler;
    private final int maxConnections;
    private final long maxQueuedBytes;
    private final OpenConnections connections;
    private final AtomicInteger open = new AtomicInteger();
    private final HttpHandler handshake = WebSocketHandshake.handler(this::connected);

    public WebSocketEndpoint(String owner, WebSocketHandler handler, int maxConnections, long maxQueuedBytes,
                             OpenConnections connections) {
        this.owner = owner;
        this.handler = handler;
        this.maxConnections = maxConnections;
        this.maxQueuedBytes = maxQueuedBytes;
        this.connections = connections;
    }

    /** A plain GET of the route: not a WebSocket handshake. */
    @Override
    public Object handle(ApiRequest request) {
        throw new ApiException(426, "UPGRADE_REQUIRED", "This route is a WebSocket; open it with 'Upgrade: websocket'.");
    }

    static boolean isUpgrade(HttpServerExchange exchange) {
        String upgrade = exchange.getRequestHeaders().getFirst(Headers.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    /** After authentication and the role check: refuses cross-site cookie use and overload, then upgrades. */
    void upgrade(HttpServerExchange exchange, Caller caller, Map<String, String> params) throws Exception {
        if (Authenticator.BY_SESSION.equals(Authenticator.how(exchange))
                && exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION) == null && !sameOrigin(exchange)) {
            throw ApiException.forbidden("A WebSocket signed in by the session cookie must be opened from a page of this server.");
        }
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            throw new ApiException(503, "TOO_MANY_CONNECTIONS", "This WebSocket route already has its "
                    + maxConnections + " connections open; try again later.");
        }
        Session session = new Session(caller, params);
        exchange.putAttachment(SESSION, session);
        exchange.addExchangeCompleteListener((ex, next) -> {
            if (ex.getStatusCode() != 101) {
                open.decrementAndGet(); // the handshake did not happen
            }
            next.proceed();
        });
        handshake.handleRequest(exchange);
    }

    private static boolean sameOrigin(HttpServerExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        if (origin == null) {
            return true; // not a browser: browsers always send Origin on a WebSocket handshake
        }
        try {
            URI uri = URI.create(origin);
            return host != null && uri.getAuthority() != null && uri.getAuthority().equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void connected(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        Session session = exchange.getAttachment(SESSION);
        if (session == null) {
            IoUtils.safeClose(channel);
            return;
        }
        session.attach(channel);
    }

    /** Number of open sockets of this route. */
    public int openCount() {
        return open.get();
    }

    private final class Session implements WebSocketSession {
        private final Caller caller;
        private final Map<String, String> params;
        private final AtomicLong unsent = new AtomicLong();
        private final ArrayDeque<Runnable> inbound = new ArrayDeque<>();
        private volatile WebSocketChannel channel;
        private Executor worker;
        private boolean running;
        private boolean closed;
        private Registration tracking;

        Session(Caller caller, Map<String, String> params) {
            this.caller = caller;
            this.params = Map.copyOf(params);
        }

        void attach(WebSocketChannel webSocket) {
            channel = webSocket;
            worker = webSocket.getWorker();
            tracking = connections.track(owner, this::close);
            webSocket.addCloseTask(c -> closed());
            webSocket.getReceiveSetter().set(new AbstractReceiveListener() {
                @Override
                protected void onFullTextMessage(WebSocketChannel c, BufferedTextMessage message) {
                    String text = message.getData();
                    if (text.length() > MAX_MESSAGE_BYTES) { // Undertow's own bound does not count a message's first buffer
                        tooBig(c);
                        return;
                    }
                    call(() -> handler.onText(Session.this, text));
                }

                @Override
                protected void onFullBinaryMessage(WebSocketChannel c, BufferedBinaryMessage message) {
                    var data = message.getData();
                    try {
                        ByteBuffer merged = WebSockets.mergeBuffers(data.getResource());
                        if (merged.remaining() > MAX_MESSAGE_BYTES) {
                            tooBig(c);
                            return;
                        }
                        byte[] bytes = new byte[merged.remaining()];
                        merged.get(bytes);
                        call(() -> handler.onBinary(Session.this, bytes));
                    } finally {
                        data.free();
                    }
                }

                @Override
                protected void onError(WebSocketChannel c, Throwable error) {
                    LOG.info("[{}] a WebSocket is closed: {}", owner, error.getMessage() == null ? error.toString() : error.getMessage());
                    IoUtils.safeClose(c);
                }

                @Override
                protected long getMaxTextBufferSize() {
                    return MAX_MESSAGE_BYTES;
                }

                @Override
                protected long getMaxBinaryBufferSize() {
                    return MAX_MESSAGE_BYTES;
                }
            });
            webSocket.resumeReceives();
            call(() -> handler.onOpen(this));
        }

        private void tooBig(WebSocketChannel c) {
            LOG.info("[{}] a WebSocket sent a message over {} bytes: closing it", owner, MAX_MESSAGE_BYTES);
            WebSockets.sendClose(new io.undertow.websockets.core.CloseMessage(1009, "A message may have at most "
                    + MAX_MESSAGE_BYTES + " bytes."), c, new WebSocketCallback<>() {
                @Override
                public void complete(WebSocketChannel channel, Void context) {
                    IoUtils.safeClose(channel);
                }

                @Override
                public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
                    IoUtils.safeClose(channel);
                }
            });
        }

        private interface Call {
            void run() throws Exception;
        }

        /** Runs handler calls of this socket one after the other on a worker thread. */
        private void call(Call call) {
            call(call, false);
        }

        /** {@code always}: queued even past the bound (onClose, so a plugin hears of every socket it had). */
        private void call(Call call, boolean always) {
            synchronized (this) {
                if (!always && inbound.size() >= MAX_PENDING_INBOUND) {
                    LOG.info("[{}] a WebSocket sent {} messages its handler has not taken: closing it", owner, inbound.size());
                    IoUtils.safeClose(channel);
                    return;
                }
                inbound.add(() -> {
                    try {
                        call.run();
                    } catch (Exception | LinkageError e) {
                        LOG.warn("[{}] WebSocket handler {} failed: {}", owner, handler.getClass().getSimpleName(), e.toString());
                    }
                });
                if (running) {
                    return;
                }
                running = true;
            }
            try {
                worker.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                drain(); // the server is stopping: the last calls (onClose) run here
            }
        }

        private void drain() {
            while (true) {
                Runnable next;
                synchronized (this) {
                    next = inbound.poll();
                    if (next == null) {
                        running = false;
                        return;
                    }
                }
                next.run();
            }
        }

        private void closed() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            open.decrementAndGet();
            if (tracking != null) {
                tracking.close();
            }
            call(() -> handler.onClose(this), true);
        }

        @Override
        public String pathParam(String name) {
            return params.get(name);
        }

        @Override
        public Caller caller() {
            return caller;
        }

        @Override
        public boolean sendText(String text) {
            ByteBuffer utf8 = java.nio.charset.StandardCharsets.UTF_8.encode(text);
            return send(utf8.remaining(), callback -> WebSockets.sendText(utf8, channel, callback));
        }

        @Override
        public boolean sendBinary(byte[] data) {
            // Not copied: one video frame goes to every viewer as it is (the API says not to change it after sending).
            return send(data.length, callback -> WebSockets.sendBinary(ByteBuffer.wrap(data), channel, callback));
        }

        private boolean send(long bytes, java.util.function.Consumer<WebSocketCallback<Void>> sender) {
            if (!isOpen()) {
                return false;
            }
            if (unsent.addAndGet(bytes) > maxQueuedBytes) {
                unsent.addAndGet(-bytes);
                LOG.info("[{}] a WebSocket fell over {} bytes behind: closing it", owner, maxQueuedBytes);
                IoUtils.safeClose(channel); // a close frame would wait behind what it does not read
                return false;
            }
            sender.accept(new WebSocketCallback<>() {
                @Override
                public void complete(WebSocketChannel c, Void context) {
                    unsent.addAndGet(-bytes);
                }

                @Override
                public void onError(WebSocketChannel c, Void context, Throwable throwable) {
                    unsent.addAndGet(-bytes);
                }
            });
            return true;
        }

        @Override
        public boolean isOpen() {
            WebSocketChannel c = channel;
            return c != null && c.isOpen() && !c.isCloseFrameSent();
        }

        /** Sends a close frame ("going away"), then closes the connection once it is written. */
        @Override
        public void close() {
            WebSocketChannel c = channel;
            if (c == null || !c.isOpen()) {
                return;
            }
            if (c.isCloseFrameSent()) {
                IoUtils.safeClose(c);
                return;
            }
            WebSockets.sendClose(io.undertow.websockets.core.CloseMessage.GOING_AWAY, "", c, new WebSocketCallback<>() {
                @Override
                public void complete(WebSocketChannel channel, Void context) {
                    IoUtils.safeClose(channel);
                }

                @Override
                public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
                    IoUtils.safeClose(channel);
                }
            });
        }
    }
}
