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
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.classtop.agent.ReconnectPolicy;

/**
 * Agents {@code from..to-1} of a run, every one a WebSocket on ONE Netty event loop: each registers
 * (SPEC section 4), answers every command at once with an echo of its params, and sends a heartbeat every
 * {@code heartbeat} seconds. Run in-process by {@link Bench}, or as a child process ({@link #main}) when one
 * process cannot hold all the sockets.
 *
 * <p>With a {@link ReconnectPolicy} (see {@link FleetBench}) each agent comes back after losing the server the way
 * the real agent's connection supervisor does: {@code connectionEnded(uptime)} when a connection ends,
 * {@code serverRestarting()} on close code 1012 or 1001, {@code nextDelay()} before every attempt, and the
 * credential the server issued is presented again.
 */
final class AgentSwarm implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GOING_AWAY = 1001;
    private static final int SERVICE_RESTART = 1012;

    private final URI server;
    private final String runId;
    private final int from;
    private final int to;
    /** Command names each agent declares ("echo" and more): -Dbench.capabilities=N, default 1. */
    private static final int CAPABILITIES = Integer.getInteger("bench.capabilities", 1);
    private final int heartbeatSeconds;
    private final int connectConcurrency;
    private final ReconnectPolicy reconnect;
    private final boolean loopbackServer;
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final EventLoop loop = group.next();
    private final Bootstrap bootstrap;
    private final Set<Channel> channels = new HashSet<>();
    /** Event loop only. */
    private final List<Agent> agents = new ArrayList<>();

    // Written on the event loop, read from other threads.
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger disconnected = new AtomicInteger();
    private final AtomicInteger online = new AtomicInteger();
    private final AtomicInteger backOnline = new AtomicInteger();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> closeCodes = new ConcurrentHashMap<>();

    // Event loop only.
    private int next;
    private int limit;
    private int inFlight;
    private CompletableFuture<Void> settledUpToLimit = new CompletableFuture<>();
    private boolean closing;
    /** Since when {@link #backOnline} counts, and each agent's time from then to its next {@code registered}. */
    private long lossMarkNanos;
    private final Histogram backOnlineNanos = new Histogram(3);
    private long lastBackOnlineNanos;

    AgentSwarm(URI server, String runId, int from, int to, int heartbeatSeconds, int connectConcurrency) {
        this(server, runId, from, to, heartbeatSeconds, connectConcurrency, null);
    }

    /** {@code reconnect}: the policy each agent copies to come back after losing the server, or null for none. */
    AgentSwarm(URI server, String runId, int from, int to, int heartbeatSeconds, int connectConcurrency,
               ReconnectPolicy reconnect) {
        this.server = server;
        this.runId = runId;
        this.from = from;
        this.to = to;
        this.heartbeatSeconds = heartbeatSeconds;
        this.connectConcurrency = connectConcurrency;
        this.reconnect = reconnect;
        this.next = from;
        this.limit = from;
        boolean loopback;
        try {
            InetAddress address = InetAddress.getByName(server.getHost());
            loopback = address instanceof Inet4Address && address.isLoopbackAddress()
                    && System.getProperty("os.name", "").startsWith("Linux");
        } catch (UnknownHostException e) {
            loopback = false;
        }
        this.loopbackServer = loopback;
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, openTimeoutMillis());
    }

    /**
     * Where agent {@code index} connects from: against a server on 127.0.0.1 each agent its own loopback address
     * (127.1.x.y, all of 127/8 is local on Linux), as every classroom computer has its own; the server limits what
     * one address may do (e.g. connections not registered yet), which a whole fleet on one address would hit.
     */
    private InetSocketAddress localAddress(int index) {
        if (!loopbackServer) {
            return null;
        }
        return new InetSocketAddress(String.format("127.1.%d.%d", index / 250 % 256, 1 + index % 250), 0);
    }

    /** A reconnecting agent gives up on an attempt like the real one (its default connect timeout, 10 s). */
    private int openTimeoutMillis() {
        return reconnect == null ? 30_000 : 10_000;
    }

    /** The uuid of agent {@code index} of run {@code runId}, the same in every process. */
    static UUID agentUuid(String runId, int index) {
        return UUID.nameUUIDFromBytes(("classtop-bench:" + runId + ":" + index).getBytes(StandardCharsets.UTF_8));
    }

    /** Opens every connection, at most {@code connectConcurrency} handshakes at a time; completes when each agent
     *  has either been registered by the server or failed. */
    CompletableFuture<Void> connectAll() {
        return connectUpTo(to);
    }

    /** Like {@link #connectAll()} for the agents before index {@code upTo} (the first call starts at {@code from}). */
    CompletableFuture<Void> connectUpTo(int upTo) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            limit = Math.min(to, Math.max(limit, upTo));
            settledUpToLimit = done;
            checkSettled();
            pump();
        });
        return done;
    }

    private void pump() {
        while (inFlight < connectConcurrency && next < limit) {
            inFlight++;
            Agent agent = new Agent(next++);
            agents.add(agent);
            agent.connect();
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
        checkSettled();
        pump();
    }

    private void checkSettled() {
        if (connected.get() + failed.get() >= limit - from) {
            settledUpToLimit.complete(null);
        }
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

    /** Agents whose connection the server registered and that is still open. */
    int online() {
        return online.get();
    }

    /** Connection attempts so far (first connections and reconnects). */
    long attempts() {
        return attempts.get();
    }

    /** "reason xN, reason xM" of the agents that never registered, or "" when none failed. */
    String failureSummary() {
        StringBuilder sb = new StringBuilder();
        failures.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "; ").append(k).append(" x").append(v.get()));
        return sb.toString();
    }

    /** Close codes the server sent, with their counts. */
    Map<Integer, Integer> closeCodes() {
        Map<Integer, Integer> copy = new TreeMap<>();
        closeCodes.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** From now on {@link #backOnline()} counts the agents registered again, and records how long each took. */
    void markLoss(long nanos) {
        loop.submit(() -> {
            lossMarkNanos = nanos;
            backOnline.set(0);
            backOnlineNanos.reset();
            lastBackOnlineNanos = 0;
            agents.forEach(agent -> agent.backSinceMark = false);
        }).syncUninterruptibly();
    }

    /** Agents registered again since {@link #markLoss}. */
    int backOnline() {
        return backOnline.get();
    }

    /** Each agent's time from {@link #markLoss} to being registered again (a copy). */
    Histogram backOnlineNanos() {
        return loop.submit(backOnlineNanos::copy).syncUninterruptibly().getNow();
    }

    @Override
    public void close() {
        try {
            loop.submit(() -> {
                closing = true;
                new ArrayList<>(channels).forEach(Channel::close);
            }).syncUninterruptibly();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** One agent across its connections (event loop only). */
    private final class Agent {
        final int index;
        final UUID uuid;
        final ReconnectPolicy policy;
        boolean settled;
        /** Issued by the server in {@code registered}; presented as {@code token} from then on. */
        String credential;
        /** Already counted in {@link #backOnline} since the last mark. */
        boolean backSinceMark;

        Agent(int index) {
            this.index = index;
            this.uuid = agentUuid(runId, index);
            this.policy = reconnect == null ? null : reconnect.copy();
        }

        void settle(boolean ok, String why) {
            if (!settled) {
                settled = true;
                settled(ok, why);
            }
        }

        void connect() {
            attempts.incrementAndGet();
            URI ws = URI.create((server.getScheme().equals("https") ? "wss" : "ws") + "://" + server.getHost() + ":"
                    + port(server) + "/ws/" + uuid);
            WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                    .webSocketUri(ws)
                    .handleCloseFrames(false)
                    .dropPongFrames(true)
                    .maxFramePayloadLength(1 << 20)
                    .handshakeTimeoutMillis(reconnect == null ? 60_000 : openTimeoutMillis())
                    .build();
            AgentHandler handler = new AgentHandler(this);
            ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                            new WebSocketClientProtocolHandler(config), handler);
                }
            }).connect(new InetSocketAddress(server.getHost(), port(server)), localAddress(index));
            f.addListener(done -> {
                if (done.isSuccess()) {
                    channels.add(f.channel());
                    f.channel().closeFuture().addListener(c -> channels.remove(f.channel()));
                } else {
                    handler.ended("connect failed: " + reason(done.cause()));
                }
            });
        }

        /** As the agent's connection supervisor does after a connection ended (or never opened). */
        void connectionEnded(long openedNanos, int closeCode) {
            if (policy == null || closing) {
                return;
            }
            policy.connectionEnded(openedNanos == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - openedNanos));
            if (closeCode == SERVICE_RESTART || closeCode == GOING_AWAY) {
                policy.serverRestarting();
            }
            loop.schedule(() -> {
                if (!closing) {
                    connect();
                }
            }, policy.nextDelay().toMillis(), TimeUnit.MILLISECONDS);
        }

        void registered(String issued) {
            if (issued != null && !issued.isBlank()) {
                credential = issued;
            }
            settle(true, null);
            if (lossMarkNanos != 0 && !backSinceMark) {
                backSinceMark = true;
                long now = System.nanoTime();
                backOnlineNanos.recordValue(Math.max(0, now - lossMarkNanos));
                lastBackOnlineNanos = Math.max(lastBackOnlineNanos, now);
                backOnline.incrementAndGet();
            }
        }
    }

    /** One connection of an agent. */
    private final class AgentHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final Agent agent;
        private boolean isRegistered;
        private boolean over;
        private long openedNanos;
        private int closeCode;
        private ScheduledFuture<?> heartbeat;

        AgentHandler(Agent agent) {
            this.agent = agent;
        }

        /** This connection is over (once): the first connection settles as failed, a reconnecting agent retries. */
        void ended(String why) {
            if (over) {
                return;
            }
            over = true;
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            if (isRegistered) {
                online.decrementAndGet();
                disconnected.incrementAndGet();
            }
            agent.settle(false, why);
            agent.connectionEnded(openedNanos, closeCode);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                openedNanos = System.nanoTime();
                ObjectNode reg = JSON.createObjectNode();
                reg.put("type", "register");
                reg.put("client_uuid", agent.uuid.toString());
                reg.put("name", "bench-" + agent.index);
                reg.put("client_type", "client");
                reg.put("protocol", 1);
                reg.put("agent_version", "bench");
                var capabilities = reg.putArray("capabilities").add("echo");
                for (int i = 1; i < CAPABILITIES; i++) {
                    capabilities.add("bench_command_" + i); // a real agent declares tens of commands
                }
                reg.put("heartbeat_interval", heartbeatSeconds);
                if (agent.credential != null) {
                    reg.put("token", agent.credential);
                }
                ctx.writeAndFlush(new TextWebSocketFrame(JSON.writeValueAsString(reg))).addListener(f -> {
                    if (f.isSuccess()) {
                        long first = ThreadLocalRandom.current().nextLong(TimeUnit.SECONDS.toMillis(heartbeatSeconds)) + 1;
                        heartbeat = ctx.executor().scheduleAtFixedRate(() -> sendHeartbeat(ctx), first,
                                TimeUnit.SECONDS.toMillis(heartbeatSeconds), TimeUnit.MILLISECONDS);
                    } else {
                        ended("register frame not sent: " + reason(f.cause()));
                    }
                });
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                ended("WebSocket handshake timed out");
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
                String type = msg.path("type").asText();
                if ("command".equals(type)) {
                    ObjectNode resp = JSON.createObjectNode();
                    resp.put("type", "response");
                    resp.set("request_id", msg.get("request_id"));
                    resp.put("success", true);
                    resp.putObject("data").set("echo", msg.has("params") ? msg.get("params") : JSON.createObjectNode());
                    ctx.writeAndFlush(new TextWebSocketFrame(JSON.writeValueAsString(resp)));
                    answered.incrementAndGet();
                } else if ("registered".equals(type) && !isRegistered) {
                    isRegistered = true;
                    online.incrementAndGet();
                    agent.registered(msg.path("credential").asText(null));
                }
            } else if (frame instanceof CloseWebSocketFrame) {
                CloseWebSocketFrame close = (CloseWebSocketFrame) frame;
                closeCode = close.statusCode();
                closeCodes.computeIfAbsent(closeCode, k -> new AtomicInteger()).incrementAndGet();
                ended("closed by the server: " + close.statusCode() + " " + close.reasonText());
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ended(reason(cause));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            ended("connection closed during the handshake");
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
