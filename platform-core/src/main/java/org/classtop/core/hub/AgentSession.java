package org.classtop.core.hub;

import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.classtop.core.clients.ClientState;

/**
 * One agent connection. Outbound frames wait in this session's own queue, bounded in bytes, and
 * are handed to the socket one at a time: an agent that stops reading fills only its own allowance
 * (further sends fail at once instead of queueing without bound or stalling anyone else), and a
 * frame that is no longer wanted when its turn comes (a command whose caller already got its
 * time-out) is dropped instead of being delivered late.
 */
public final class AgentSession {
    private static final BooleanSupplier ALWAYS = () -> true;

    private record Outbound(byte[] bytes, BooleanSupplier stillWanted) {
    }

    private final AgentSocket socket;
    private final String pathUuid;
    private final String ipAddress;
    private final long maxUnsentBytes;
    private final Queue<Outbound> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong unsentBytes = new AtomicLong();
    private final AtomicLong droppedUnwanted = new AtomicLong();
    final RateBucket events;
    final RateBucket states;
    final RateBucket unapprovedFrames = RateBucket.perMinute(FrameRouter.UNAPPROVED_FRAMES_PER_MINUTE);
    private volatile long lastNoticeMillis;
    private volatile ClientState client;
    private volatile boolean approved;
    private volatile long heartbeatMillis;
    private volatile long lastSeenMillis = System.currentTimeMillis();
    /** The last-seen time the {@link HeartbeatSweep} last moved the client to (its thread only). */
    long sweptSeenMillis;
    private volatile boolean closed;
    /** The credential of this session for plugin jar downloads ({@code plugins} frame), random, never stored. */
    private final String downloadToken = newDownloadToken();
    /** The last {@code plugins_state} the agent sent, bounded; empty until one comes. */
    private volatile java.util.List<java.util.Map<String, String>> pluginsState = java.util.List.of();
    /** Whether the plugin announcer watches this session's close (set once, at its first plugins_state). */
    final java.util.concurrent.atomic.AtomicBoolean pluginsWatched = new java.util.concurrent.atomic.AtomicBoolean();
    // Touched on the connection's I/O thread only.
    private boolean writing;
    private boolean draining;

    AgentSession(AgentSocket socket, String pathUuid, String ipAddress, long heartbeatMillis, long maxUnsentBytes,
                 int eventsPerMinute) {
        this.socket = socket;
        this.pathUuid = pathUuid;
        this.ipAddress = ipAddress;
        this.heartbeatMillis = heartbeatMillis;
        this.maxUnsentBytes = maxUnsentBytes;
        this.events = RateBucket.perMinute(eventsPerMinute);
        this.states = RateBucket.perMinute(eventsPerMinute);
    }

    /** Queues a text frame; false when the agent is gone or has too many bytes unsent. */
    public boolean send(String text) {
        return send(text, ALWAYS);
    }

    /**
     * Queues a text frame that is written only if {@code stillWanted} holds when its turn comes; false
     * when the agent is gone or has more than its allowance of bytes unsent.
     */
    public boolean send(String text, BooleanSupplier stillWanted) {
        if (isClosed()) {
            return false;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        long after = unsentBytes.addAndGet(bytes.length);
        if (after > maxUnsentBytes && after != bytes.length) {
            // Over the allowance (a single frame larger than it still goes when nothing else waits).
            unsentBytes.addAndGet(-bytes.length);
            return false;
        }
        Outbound outbound = new Outbound(bytes, stillWanted);
        if (socket.ioThread() == Thread.currentThread()) {
            if (!writing && !draining && queue.isEmpty()) {
                drainFrom(outbound); // nothing waits (a heartbeat's ack, most frames): written at once, not queued
            } else {
                queue.add(outbound);
                drain();
            }
        } else {
            queue.add(outbound);
            socket.ioThread().execute(this::drain);
        }
        return true;
    }

    /** Writes queued frames, one in the socket at a time. I/O thread only. */
    private void drain() {
        drainFrom(null);
    }

    /** Writes {@code first} (if not null; nothing else waits then), then what is queued. I/O thread only. */
    private void drainFrom(Outbound first) {
        if (writing || draining) {
            return;
        }
        draining = true;
        try {
            Outbound next = first;
            while (!writing && (next != null || (next = queue.poll()) != null)) {
                write(next);
                next = null;
            }
        } finally {
            draining = false;
        }
        if (!writing && !queue.isEmpty()) {
            // A completion arrived while this loop ran: go on with what it left.
            drain();
        }
    }

    /** Hands one frame to the socket, unless the socket is gone or nobody wants the frame any more. */
    private void write(Outbound outbound) {
        if (!socket.isOpen()) {
            release(outbound);
            return;
        }
        if (!outbound.stillWanted().getAsBoolean()) {
            droppedUnwanted.incrementAndGet();
            release(outbound);
            return;
        }
        writing = true;
        socket.sendText(outbound.bytes(), written -> {
            release(outbound);
            writing = false;
            if (written) {
                drain();
            }
        });
    }

    private void release(Outbound outbound) {
        unsentBytes.addAndGet(-outbound.bytes().length);
    }

    /** Bytes queued for this agent and not yet written to its socket. */
    public long unsentBytes() {
        return unsentBytes.get();
    }

    /** Frames dropped because nobody wanted them any more when their turn came. */
    public long droppedUnwanted() {
        return droppedUnwanted.get();
    }

    /** Sends a close frame with a readable reason, then drops the connection if the peer does not answer. */
    void close(int code, String reason) {
        close(code, reason, 2);
    }

    /**
     * As {@link #close(int, String)}, waiting {@code graceSeconds} for the peer's close frame before dropping the
     * socket (0: dropped as soon as the close frame is written, as a stopping server does).
     */
    void close(int code, String reason, long graceSeconds) {
        closed = true;
        Runnable doClose = () -> {
            if (!socket.isOpen()) {
                return;
            }
            socket.sendClose(code, truncate(reason), written -> {
                if (!written || graceSeconds <= 0) {
                    socket.close();
                    return;
                }
                try {
                    // Time for the agent's own close frame, which closes the socket at once when it comes.
                    socket.ioThread().executeAfter(socket::close, graceSeconds, TimeUnit.SECONDS);
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    socket.close(); // the I/O thread is stopping: no grace period for the peer's close
                }
            });
        };
        if (socket.ioThread() == Thread.currentThread()) {
            doClose.run();
        } else {
            socket.ioThread().execute(doClose);
        }
    }

    /** Whether the socket is still open (a close frame may have been sent already). */
    boolean socketOpen() {
        return socket.isOpen();
    }

    /** Runs {@code task} once the connection has closed (at once if it already has). */
    void whenClosed(Runnable task) {
        socket.whenClosed(task);
    }

    /** Close reasons must fit in 123 bytes of UTF-8. */
    private static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= 123) {
            return reason;
        }
        return new String(bytes, 0, 120, StandardCharsets.UTF_8).replace("\uFFFD", "") + "…";
    }

    /** Whether an error notice may go to the agent now: at most one every 10 seconds. */
    boolean mayNotice() {
        long now = System.currentTimeMillis();
        if (now - lastNoticeMillis < 10_000) {
            return false;
        }
        lastNoticeMillis = now;
        return true;
    }

    void touch() {
        lastSeenMillis = System.currentTimeMillis();
    }

    long lastSeenMillis() {
        return lastSeenMillis;
    }

    long heartbeatMillis() {
        return heartbeatMillis;
    }

    void setHeartbeatMillis(long heartbeatMillis) {
        this.heartbeatMillis = heartbeatMillis;
    }

    String pathUuid() {
        return pathUuid;
    }

    public String ipAddress() {
        return ipAddress;
    }

    public ClientState client() {
        return client;
    }

    void setClient(ClientState client) {
        this.client = client;
    }

    String downloadToken() {
        return downloadToken;
    }

    java.util.List<java.util.Map<String, String>> pluginsState() {
        return pluginsState;
    }

    void setPluginsState(java.util.List<java.util.Map<String, String>> state) {
        this.pluginsState = state;
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private static String newDownloadToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "ctd_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public boolean approved() {
        return approved;
    }

    void setApproved(boolean approved) {
        this.approved = approved;
    }

    public boolean registered() {
        return client != null;
    }

    public boolean isClosed() {
        return closed || !socket.isOpen();
    }
}
