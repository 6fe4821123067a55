package org.classtop.core.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.websockets.core.CloseMessage;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.classtop.api.Registration;
import org.classtop.api.server.AgentStreamReceiver;
import org.classtop.core.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of the agents' binary lane (docs/protocol.md): parses each binary frame of an approved
 * agent on the I/O thread (memory only), and hands it to the {@link AgentStreamReceiver} of the plugin
 * that owns the stream on the stream threads, one agent's frames in order. What one agent may cost is
 * bounded: {@value #MAX_LIVE_STREAMS} live streams with a frame waiting (and {@value #MAX_LIVE_BYTES} bytes of
 * them), {@value #MAX_TRANSFERS} open
 * transfers of at most {@value #TRANSFER_WINDOW} unacknowledged bytes each (the agent sends only what
 * the server credited with {@code stream_credit}). A frame that breaks the layout, or a transfer beyond
 * its credit, closes the connection with 1008; frames nobody receives are dropped and counted.
 */
@Singleton
public final class AgentStreamRouter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentStreamRouter.class);
    /** Largest binary frame, header included. */
    public static final int MAX_FRAME_BYTES = 1 << 20;
    /** Bytes of one transfer an agent may send before the server credits them (granted at the start). */
    public static final int TRANSFER_WINDOW = 1 << 20;
    /** Credit goes back to the agent in steps of this many consumed bytes. */
    static final int CREDIT_STEP = TRANSFER_WINDOW / 4;
    static final int MAX_LIVE_STREAMS = 16;
    /** Bytes of live frames one agent may have waiting for their receivers. */
    static final int MAX_LIVE_BYTES = 4 << 20;
    static final int MAX_TRANSFERS = 8;
    private static final int STREAM_THREADS = 8;
    static final int REMEMBERED_REFUSALS = 64;

    private record Route(String pluginId, String pattern, AgentStreamReceiver receiver) {
        boolean matches(String stream) {
            return pattern.endsWith(".") ? stream.startsWith(pattern) : stream.equals(pattern);
        }
    }

    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final Map<AgentSession, SessionLane> lanes = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(STREAM_THREADS, STREAM_THREADS, 30,
            TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "classtop-agent-streams");
                t.setDaemon(true);
                return t;
            });
    final AtomicLong liveFrames = new AtomicLong();
    final AtomicLong liveDropped = new AtomicLong();
    final AtomicLong unrouted = new AtomicLong();
    final AtomicLong transferBytes = new AtomicLong();
    final AtomicLong transfersCompleted = new AtomicLong();
    final AtomicLong transfersAborted = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();

    public AgentStreamRouter() {
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Routes the streams of plugin {@code pluginId} that match {@code pattern} (relative to the plugin: a name,
     * {@code name.*}, or {@code *}) to {@code receiver}; closing the handle removes exactly this route.
     */
    public Registration register(String pluginId, String pattern, AgentStreamReceiver receiver) {
        if (pattern == null || !(pattern.equals("*") || LaneFrame.STREAM.matcher(pluginId + "." + pattern.replaceAll("\\.\\*$", "")).matches())) {
            throw new IllegalArgumentException("agentStreams(\"" + pattern + "\") must name a stream of the plugin: "
                    + "letters, digits, '.', '_' and '-', optionally ending in '.*', or '*'.");
        }
        String full = pattern.equals("*") ? pluginId + "." : pattern.endsWith(".*")
                ? pluginId + "." + pattern.substring(0, pattern.length() - 1) : pluginId + "." + pattern;
        for (Route route : routes) {
            if (route.pattern().equals(full)) {
                throw new IllegalStateException("Agent streams '" + pattern + "' of plugin '" + pluginId
                        + "' are already received by " + route.receiver().getClass().getName() + ".");
            }
        }
        Route route = new Route(pluginId, full, receiver);
        routes.add(route);
        return () -> routes.remove(route);
    }

    /** One binary frame of an approved agent; on its connection's I/O thread. */
    public void onBinary(AgentSession session, byte[] bytes) {
        if (!session.approved() || session.client() == null || session.isClosed()) {
            return;
        }
        LaneFrame frame;
        try {
            frame = LaneFrame.parse(bytes);
        } catch (LaneFrame.Malformed e) {
            malformed.incrementAndGet();
            LOG.warn("Closing client {}: {}", session.client().uuid(), e.getMessage());
            session.close(CloseMessage.MSG_VIOLATES_POLICY, e.getMessage());
            return;
        }
        SessionLane lane = lanes.get(session);
        if (lane == null) {
            SessionLane created = new SessionLane(this, session, executor);
            lane = lanes.putIfAbsent(session, created);
            if (lane == null) {
                lane = created;
                // Outside the map's update: a session already closed runs this at once and removes the lane.
                session.whenClosed(() -> disconnected(session));
            }
        }
        lane.accept(frame);
    }

    private void disconnected(AgentSession session) {
        SessionLane lane = lanes.remove(session);
        if (lane != null) {
            lane.disconnected();
        }
    }

    /** The receiver of {@code stream}: the longest matching pattern wins. */
    AgentStreamReceiver receiverOf(String stream) {
        Route best = null;
        for (Route route : routes) {
            if (route.matches(stream) && (best == null || route.pattern().length() > best.pattern().length())) {
                best = route;
            }
        }
        return best == null ? null : best.receiver();
    }

    static void sendJson(AgentSession session, Map<String, Object> message) {
        ObjectNode node = Json.mapper().valueToTree(message);
        session.send(node.toString());
    }

    /** Counters for the status page, metrics and tests. */
    public Map<String, Long> stats() {
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("live_frames", liveFrames.get());
        stats.put("live_dropped", liveDropped.get());
        stats.put("unrouted_dropped", unrouted.get());
        stats.put("transfer_bytes", transferBytes.get());
        stats.put("transfers_completed", transfersCompleted.get());
        stats.put("transfers_aborted", transfersAborted.get());
        stats.put("malformed_frames", malformed.get());
        return stats;
    }

    @Override
    public void close() {
        lanes.keySet().forEach(this::disconnected);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
