package org.classtop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Sends {@code POST /api/clients/{uuid}/command} {@code {"command":"echo","params":{"n":i}}} at a fixed rate over
 * a pool of keep-alive HTTP/1.1 connections (one Netty event loop), round-robin over the agents.
 *
 * <p>No coordinated omission: a pacer thread releases request {@code i} at {@code start + i/rate} whatever the
 * server does, a request waits in a queue when every connection is busy, and its latency is measured from that
 * scheduled time, not from when a connection took it.
 */
final class HttpDriver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request of a run: its number, its scheduled send time, whether it counts (after the warm-up). */
    private static final class Req {
        final Result run;
        final int seq;
        final long intended;
        final boolean measured;

        Req(Result run, int seq, long intended, boolean measured) {
            this.run = run;
            this.seq = seq;
            this.intended = intended;
            this.measured = measured;
        }
    }

    /** What one run measured. Only read after {@link #run} returned. */
    static final class Result {
        final int rate;
        final Histogram latencyNanos = new Histogram(3);
        /** The round trips of the warm-up part, kept apart: the figures of a server that just started. */
        final Histogram warmupLatencyNanos = new Histogram(3);
        final Map<String, Long> errors = new TreeMap<>();
        long measuredScheduled;
        long measuredOk;
        long measuredAnswered;
        long measuredUnanswered;
        long measureStartNanos;
        long lastMeasuredAnswerNanos;
        int connectionsOpened;
        /** CPU time of this whole process (load generator, and the agents when they run in it) during the run. */
        long loadCpuNanos;
        long wallNanos;
        /** Set on the event loop when the run is over: later answers are ignored. */
        boolean finished;

        Result(int rate) {
            this.rate = rate;
        }

        /** CPU of this process during the run, in % of one core. */
        double loadCpuPercent() {
            return wallNanos > 0 ? 100.0 * loadCpuNanos / wallNanos : 0;
        }

        double achievedRate() {
            double seconds = (lastMeasuredAnswerNanos - measureStartNanos) / 1e9;
            return seconds > 0 ? measuredOk / seconds : 0;
        }
    }

    private final URI server;
    private final String authorization;
    private final List<String> paths;
    private final int maxConnections;
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final EventLoop loop = group.next();
    private final Bootstrap bootstrap;
    private final String hostHeader;

    // Event loop only.
    private final ArrayDeque<Req> queue = new ArrayDeque<>();
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final List<Channel> all = new ArrayList<>();
    private int open;
    private int connecting;
    private int connectionsOpened;
    private Result result;
    private CountDownLatch outstanding;

    HttpDriver(URI server, String token, List<UUID> agents, int maxConnections) {
        this.server = server;
        this.authorization = "Bearer " + token;
        this.paths = new ArrayList<>(agents.size());
        for (UUID uuid : agents) {
            paths.add("/api/clients/" + uuid + "/command");
        }
        this.maxConnections = maxConnections;
        this.hostHeader = server.getHost() + ":" + AgentSwarm.port(server);
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), new Conn());
                    }
                });
    }

    /**
     * {@code rate} requests per second: warm-up for {@code warmupSeconds}, then {@code seconds} measured; returns
     * once every request is answered or {@code drainSeconds} after the last one was scheduled. {@code onMeasureStart}
     * runs (on the pacer thread, keep it short or hand it off) when the measured part begins. Runs may follow one
     * another on the same connections.
     */
    Result run(int rate, int warmupSeconds, int seconds, int drainSeconds, Runnable onMeasureStart)
            throws InterruptedException {
        long warmup = (long) rate * warmupSeconds;
        long total = warmup + (long) rate * seconds;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many requests in one run: " + total);
        }
        Result run = new Result(rate);
        CountDownLatch pending = new CountDownLatch((int) total);
        try {
            loop.submit(() -> {
                result = run;
                outstanding = pending;
            }).sync();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long cpuStart = processCpuNanos();
        run.measureStartNanos = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
        run.measuredScheduled = total - warmup;

        Thread pacer = new Thread(() -> pace(run, rate, start, (int) total, warmup, onMeasureStart), "bench-pacer");
        pacer.setDaemon(true);
        pacer.start();
        pacer.join();
        pending.await(drainSeconds, TimeUnit.SECONDS);
        try {
            loop.submit(() -> {
                // From here on late answers are ignored, so the result no longer changes.
                run.finished = true;
                run.wallNanos = System.nanoTime() - start;
                run.loadCpuNanos = processCpuNanos() - cpuStart;
                run.connectionsOpened = connectionsOpened;
                queue.clear();
                Result result = run;
                CountDownLatch outstanding = pending;
                result.measuredUnanswered = result.measuredScheduled - result.measuredAnswered;
                long unanswered = outstanding.getCount();
                if (unanswered > 0) {
                    result.errors.merge("no answer " + drainSeconds + " s after the last send", unanswered, Long::sum);
                }
            }).sync();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return run;
    }

    /** CPU time of this process so far (all threads), or 0 when the JVM does not tell. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
                ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : 0;
    }

    private void pace(Result run, int rate, long start, int total, long warmup, Runnable onMeasureStart) {
        int i = 0;
        while (i < total) {
            long due = start + (long) i * 1_000_000_000L / rate;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (i == warmup && onMeasureStart != null) {
                onMeasureStart.run();
            }
            // Release every request that is due by now in one hand-off to the event loop.
            long now = System.nanoTime();
            List<Req> batch = new ArrayList<>();
            do {
                batch.add(new Req(run, i, start + (long) i * 1_000_000_000L / rate, i >= warmup));
                i++;
            } while (i < total && i != warmup && start + (long) i * 1_000_000_000L / rate <= now);
            loop.execute(() -> {
                queue.addAll(batch);
                dispatch();
            });
        }
    }

    private void dispatch() {
        while (!queue.isEmpty()) {
            Channel ch = idle.poll();
            if (ch == null) {
                while (open < maxConnections && connecting < queue.size()) {
                    openConnection();
                }
                return;
            }
            send(ch, queue.poll());
        }
    }

    private void openConnection() {
        open++;
        connecting++;
        connectionsOpened++;
        bootstrap.connect(server.getHost(), AgentSwarm.port(server)).addListener(f -> {
            connecting--;
            Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
            if (f.isSuccess()) {
                all.add(ch);
                ch.closeFuture().addListener(c -> all.remove(ch));
                idle.add(ch);
            } else {
                open--;
                // Without a connection, the oldest waiting request fails (so a dead server cannot stall the run).
                Req r = queue.poll();
                if (r != null) {
                    fail(r, "connect failed: " + f.cause().getClass().getSimpleName());
                }
            }
            dispatch();
        });
    }

    private void send(Channel ch, Req r) {
        ch.pipeline().get(Conn.class).current = r;
        byte[] body = ("{\"command\":\"echo\",\"params\":{\"n\":" + r.seq + "}}").getBytes(StandardCharsets.UTF_8);
        ByteBuf content = Unpooled.wrappedBuffer(body);
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                paths.get(r.seq % paths.size()), content);
        req.headers()
                .set(HttpHeaderNames.HOST, hostHeader)
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.AUTHORIZATION, authorization)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        ch.writeAndFlush(req);
    }

    private void answered(Req r, long now, String error) {
        if (r.run.finished) {
            return;
        }
        Result result = r.run;
        if (!r.measured && error == null) {
            result.warmupLatencyNanos.recordValue(Math.max(0, now - r.intended));
        }
        if (r.measured) {
            result.measuredAnswered++;
            if (error == null) {
                result.latencyNanos.recordValue(Math.max(0, now - r.intended));
                result.measuredOk++;
            }
            result.lastMeasuredAnswerNanos = Math.max(result.lastMeasuredAnswerNanos, now);
        }
        if (error != null) {
            result.errors.merge(error, 1L, Long::sum);
        }
        outstanding.countDown();
    }

    private void fail(Req r, String error) {
        answered(r, System.nanoTime(), error);
    }

    /** Checks an answer: HTTP 200, success:true and data.echo.n = the number sent. Returns the error or null. */
    private static String check(FullHttpResponse resp, int seq) {
        int status = resp.status().code();
        String text = resp.content().toString(StandardCharsets.UTF_8);
        // Fast path (the load generator must offer 12,000+/s from one core): a compact answer that says so.
        if (status == 200 && text.contains("\"success\":true") && text.contains("\"echo\":{\"n\":" + seq + "}")) {
            return null;
        }
        JsonNode body;
        try {
            body = JSON.readTree(text);
        } catch (Exception e) {
            return "HTTP " + status + " (not JSON)";
        }
        if (status / 100 != 2) {
            String code = body.path("code").asText("");
            return "HTTP " + status + (code.isEmpty() ? "" : " " + code);
        }
        if (!body.path("success").asBoolean(false)) {
            return "HTTP " + status + " success:false " + body.path("code").asText("");
        }
        if (body.path("data").path("echo").path("n").asInt(-1) != seq) {
            return "HTTP " + status + " wrong echo";
        }
        return null;
    }

    @Override
    public void close() {
        try {
            loop.submit(() -> new ArrayList<>(all).forEach(Channel::close)).syncUninterruptibly();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** One keep-alive connection: at most one request at a time. */
    private final class Conn extends SimpleChannelInboundHandler<FullHttpResponse> {
        Req current;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse resp) {
            long now = System.nanoTime();
            Req r = current;
            current = null;
            if (r != null) {
                answered(r, now, check(resp, r.seq));
            }
            if (HttpUtil.isKeepAlive(resp)) {
                idle.add(ctx.channel());
                dispatch();
            } else {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            open--;
            idle.remove(ctx.channel());
            Req r = current;
            current = null;
            if (r != null) {
                fail(r, "connection closed before the answer");
            }
            dispatch();
            super.channelInactive(ctx);
        }
    }
}
