package org.classtop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Agents {@code from..to-1} of a run, every one a WebSocket on ONE Netty event loop: each registers
 * (SPEC section 4), answers every command at once with an echo of its params, and sends a heartbeat every
 * {@code heartbeat} seconds. Run in-process by {@link Bench}, or as a child process ({@link #main}) when one
 * process cannot hold all the sockets.
 */
final class AgentSwarm implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI server;
    private final String runId;
    private final int from;
    private final int to;
    private final int heartbeatSeconds;
    private final int connectConcurrency;
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final EventLoop loop = group.next();
    private final Bootstrap bootstrap;
    private final CompletableFuture<Void> allSettled = new CompletableFuture<>();
    private final List<Channel> channels = new ArrayList<>();

    // Written on the event loop, read from other threads.
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger disconnected = new AtomicInteger();
    private final AtomicLong answered = new AtomicLong();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    // Event loop only.
    private int next;
    private int inFlight;

    AgentSwarm(URI server, String runId, int from, int to, int heartbeatSeconds, int connectConcurrency) {
        this.server = server;
        this.runId = runId;
        this.from = from;
        this.to = to;
        this.heartbeatSeconds = heartbeatSeconds;
        this.connectConcurrency = connectConcurrency;
        this.next = from;
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
    }

    /** The uuid of agent {@code index} of run {@code runId}, the same in every process. */
    static UUID agentUuid(String runId, int index) {
        return UUID.nameUUIDFromBytes(("classtop-bench:" + runId + ":" + index).getBytes(StandardCharsets.UTF_8));
    }

    /** Opens every connection, at most {@code connectConcurrency} handshakes at a time; completes when each agent
     *  has either registered or failed. */
    CompletableFuture<Void> connectAll() {
        loop.execute(this::pump);
        if (from >= to) {
            allSettled.complete(null);
        }
        return allSettled;
    }

    private void pump() {
        while (inFlight < connectConcurrency && next < to) {
            inFlight++;
            connect(next++);
        }
    }

    private void settled(boolean ok, String failure) {
        inFlight--;
        if (ok) {
            connected.incrementAndGet();
        } else {
            failed.incrementAndGet();
            failures.computeIfAbsent(failure, k -> new AtomicInteger()).incrementAndGet();
        }
        if (connected.get() + failed.get() == to - from) {
            allSettled.complete(null);
        } else {
            pump();
        }
    }

    private void connect(int index) {
        UUID uuid = agentUuid(runId, index);
        URI ws = URI.create((server.getScheme().equals("https") ? "wss" : "ws") + "://" + server.getHost() + ":"
                + port(server) + "/ws/" + uuid);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(ws)
                .handleCloseFrames(false)
                .dropPongFrames(true)
                .maxFramePayloadLength(1 << 20)
                .handshakeTimeoutMillis(60_000)
                .build();
        AgentHandler agent = new AgentHandler(index, uuid);
        ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                        new WebSocketClientProtocolHandler(config), agent);
            }
        }).connect(server.getHost(), port(server));
        f.addListener(done -> {
            if (done.isSuccess()) {
                channels.add(f.channel());
            } else {
                agent.fail("connect failed: " + reason(done.cause()));
            }
        });
    }

    static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
    }

    private static String reason(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<uuid>"));
    }

    int connected() {
        return connected.get();
    }

    int failed() {
        return failed.get();
    }

    int disconnected() {
        return disconnected.get();
    }

    long answered() {
        return answered.get();
    }

    /** "reason xN, reason xM" of the agents that never registered, or "" when none failed. */
    String failureSummary() {
        StringBuilder sb = new StringBuilder();
        failures.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "; ").append(k).append(" x").append(v.get()));
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            loop.submit(() -> channels.forEach(Channel::close)).syncUninterruptibly();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** One agent. */
    private final class AgentHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final int index;
        private final UUID uuid;
        private boolean settled;
        private boolean registered;
        private ScheduledFuture<?> heartbeat;

        AgentHandler(int index, UUID uuid) {
            this.index = index;
            this.uuid = uuid;
        }

        void fail(String why) {
            if (!settled) {
                settled = true;
                settled(false, why);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                ObjectNode reg = JSON.createObjectNode();
                reg.put("type", "register");
                reg.put("client_uuid", uuid.toString());
                reg.put("name", "bench-" + index);
                reg.put("client_type", "client");
                reg.put("protocol", 1);
                reg.put("agent_version", "bench");
                reg.putArray("capabilities").add("echo");
                reg.put("heartbeat_interval", heartbeatSeconds);
                ctx.writeAndFlush(new TextWebSocketFrame(JSON.writeValueAsString(reg))).addListener(f -> {
                    if (f.isSuccess()) {
                        registered = true;
                        settled = true;
                        settled(true, null);
                        long first = ThreadLocalRandom.current().nextLong(TimeUnit.SECONDS.toMillis(heartbeatSeconds)) + 1;
                        heartbeat = ctx.executor().scheduleAtFixedRate(() -> sendHeartbeat(ctx), first,
                                TimeUnit.SECONDS.toMillis(heartbeatSeconds), TimeUnit.MILLISECONDS);
                    } else {
                        fail("register frame not sent: " + reason(f.cause()));
                    }
                });
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                fail("WebSocket handshake timed out");
                ctx.close();
            }
            super.userEventTriggered(ctx, evt);
        }

        private void sendHeartbeat(ChannelHandlerContext ctx) {
            double now = System.currentTimeMillis() / 1000.0;
            ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"heartbeat\",\"timestamp\":" + now + "}"));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) throws Exception {
            if (frame instanceof TextWebSocketFrame) {
                JsonNode msg = JSON.readTree(((TextWebSocketFrame) frame).text());
                if ("command".equals(msg.path("type").asText())) {
                    ObjectNode resp = JSON.createObjectNode();
                    resp.put("type", "response");
                    resp.set("request_id", msg.get("request_id"));
                    resp.put("success", true);
                    resp.putObject("data").set("echo", msg.has("params") ? msg.get("params") : JSON.createObjectNode());
                    ctx.writeAndFlush(new TextWebSocketFrame(JSON.writeValueAsString(resp)));
                    answered.incrementAndGet();
                }
            } else if (frame instanceof CloseWebSocketFrame) {
                CloseWebSocketFrame close = (CloseWebSocketFrame) frame;
                fail("closed by the server: " + close.statusCode() + " " + close.reasonText());
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(reason(cause));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            if (registered) {
                disconnected.incrementAndGet();
            }
            fail("connection closed during the handshake");
            super.channelInactive(ctx);
        }
    }

    /**
     * Child process: {@code --url U --run-id R --from A --to B [--heartbeat S] [--connect-concurrency C]}. Prints
     * {@code connected N failed M} once every agent settled, then holds the agents until its standard input
     * closes, then prints {@code answered N disconnected M} and exits.
     */
    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        try (AgentSwarm swarm = new AgentSwarm(URI.create(args.required("url")), args.required("run-id"),
                args.integer("from", 0), args.integer("to", 0), args.integer("heartbeat", 30),
                args.integer("connect-concurrency", 256))) {
            swarm.connectAll().join();
            System.out.println("connected " + swarm.connected() + " failed " + swarm.failed()
                    + (swarm.failed() > 0 ? " reasons " + swarm.failureSummary() : ""));
            System.out.flush();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                    // hold until the parent closes our stdin
                }
            }
            System.out.println("answered " + swarm.answered() + " disconnected " + swarm.disconnected());
            System.out.flush();
        }
    }
}
