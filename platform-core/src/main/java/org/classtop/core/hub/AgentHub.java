package org.classtop.core.hub;

import io.undertow.server.HttpServerExchange;
import io.undertow.websockets.core.CloseMessage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.classtop.core.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.StreamConnection;

/**
 * The agents' WebSocket endpoint of SPEC section 4: accepts a connection (bounded per address until it
 * registers), reads its frames ({@link AgentSocket}) within the size limits and hands them to the
 * {@link FrameRouter}, and reports its end to {@link AgentSessions}. The parts, each its own class: {@link AgentSessions} (who is
 * connected), {@link FrameRouter} (frames by type), {@link AgentEnrolment} (the register handshake),
 * {@link HeartbeatSweep} (silent agents go offline) and {@link ClientAdministration} (admins' decisions).
 * Everything on the I/O threads is memory-only; database writes go behind through the storage writer.
 */
@Singleton
public final class AgentHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentHub.class);
    /** Largest accepted text frame; a larger one closes the connection with 1009. */
    public static final int MAX_TEXT_FRAME_BYTES = 1 << 20;
    /** Largest frame from a connection that is not approved (yet): a register frame fits easily. */
    static final int MAX_UNAPPROVED_FRAME_BYTES = 64 * 1024;
    /** WebSocket close code 1013, "try again later". */
    static final int TRY_AGAIN_LATER = 1013;

    private final ServerConfig config;
    private final AgentSessions sessions;
    private final FrameRouter router;
    private final HeartbeatSweep sweep;
    private final AgentStreamRouter streams;
    /** Refusals for too many unregistered connections logged per address and minute. */
    private final AddressRateLimiter busyRefusalsLogged = new AddressRateLimiter(AgentEnrolment.REFUSALS_LOGGED_PER_MINUTE);

    @Inject
    public AgentHub(ServerConfig config, AgentSessions sessions, FrameRouter router, HeartbeatSweep sweep,
                    AgentStreamRouter streams) {
        this.config = config;
        this.sessions = sessions;
        this.router = router;
        this.sweep = sweep;
        this.streams = streams;
    }

    public void start() {
        sweep.start();
    }

    /** The registered session of a client, or null when it is not connected. */
    public AgentSession session(String uuid) {
        return sessions.get(uuid);
    }

    /** A new agent socket, on its I/O thread, right after the handshake. */
    public void onConnect(StreamConnection connection, HttpServerExchange handshake) {
        String uri = handshake.getRequestURI();
        String pathUuid = uuidFromPath(uri);
        AgentSocket socket = new AgentSocket(connection);
        InetSocketAddress peer = socket.peer();
        String ip = peer == null || peer.getAddress() == null ? "unknown" : peer.getAddress().getHostAddress();
        ServerConfig.AgentLimits limits = config.limits();
        AgentSession session = new AgentSession(socket, pathUuid, ip, config.heartbeatInterval().toMillis(),
                limits.maxUnsentBytes(), limits.eventsPerMinute());
        if (closing) {
            // Between close() and the listener stopping: 1013, not 1012, so the agent keeps its back-off going.
            session.close(TRY_AGAIN_LATER, "The server is stopping; connect again in a few seconds.");
            return;
        }
        socket.whenClosed(() -> {
            sessions.leaveUnregistered(session);
            sessions.closed(session);
        });
        if (!sessions.admitUnregistered(session)) {
            if (busyRefusalsLogged.tryTake(ip)) {
                LOG.warn("Refused a connection from {}: more than {} of its connections have not registered yet",
                        ip, AgentSessions.MAX_UNREGISTERED_PER_ADDRESS);
            }
            session.close(TRY_AGAIN_LATER, "Too many connections from this address have not registered yet; try again later.");
            return;
        }
        socket.resumeReads(new FramesOf(session));
        if (pathUuid == null && !uri.split("\\?")[0].equals("/ws")) {
            session.close(CloseMessage.MSG_VIOLATES_POLICY, "The client uuid in the URL is not valid.");
        }
    }

    /** Where one agent's messages go: text to the {@link FrameRouter}, binary to the stream lane, within the limits. */
    private final class FramesOf implements AgentSocket.Receiver {
        private final AgentSession session;

        FramesOf(AgentSession session) {
            this.session = session;
        }

        @Override
        public int maxMessageBytes(boolean binary) {
            if (!session.approved()) {
                return MAX_UNAPPROVED_FRAME_BYTES;
            }
            return binary ? AgentStreamRouter.MAX_FRAME_BYTES : MAX_TEXT_FRAME_BYTES;
        }

        @Override
        public void onText(String text) {
            router.onText(session, text);
        }

        @Override
        public void onBinary(byte[] bytes) {
            if (session.approved()) {
                // The binary lane (docs/protocol.md): only approved agents may use it; a waiting one's is dropped.
                session.touch();
                streams.onBinary(session, bytes);
            }
        }

        @Override
        public void onTooBig(boolean binary, int limit) {
            LOG.warn("Closing {}: a message was larger than {} bytes", AgentSessions.describe(session), limit);
            session.close(CloseMessage.MSG_TOO_BIG, !session.approved()
                    ? "Message too big: until it is approved, a client's messages are limited to 64 KiB."
                    : binary ? "Message too big: binary frames are limited to 1 MiB." : "Message too big: messages are limited to 1 MiB.");
            sessions.closed(session);
        }
    }

    static String uuidFromPath(String uri) {
        String path = uri.split("\\?", 2)[0];
        if (!path.startsWith("/ws/")) {
            return null;
        }
        String uuid = path.substring(4);
        return AgentEnrolment.UUID_PATTERN.matcher(uuid).matches() ? uuid : null;
    }

    /** Set by {@link #close()}: connections that arrive while the server stops are turned away. */
    private volatile boolean closing;

    /** WebSocket close code 1012 (IANA registry: Service Restart). */
    static final int SERVICE_RESTART = 1012;

    @Override
    public void close() {
        closing = true;
        sweep.close();
        List<AgentSession> closing = new ArrayList<>();
        for (AgentSession session : sessions.all()) {
            // 1012 Service Restart: agents come back within seconds (a planned stop is most often an upgrade).
            // The socket is dropped once the close frame is written: sockets still open when the listener stops
            // are closed by XNIO's shutdown, which polls the selector once per socket (12 s for 10,000 agents).
            session.close(SERVICE_RESTART, "The server is stopping or restarting; connect again in a few seconds.", 0);
            sessions.closed(session);
            closing.add(session);
        }
        awaitSocketsClosed(closing);
    }

    /** Waits (at most {@link #CLOSE_GRACE_MILLIS}) until the close frames are written and the sockets closed. */
    private static void awaitSocketsClosed(List<AgentSession> closing) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS);
        closing.removeIf(session -> !session.socketOpen());
        while (!closing.isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            closing.removeIf(session -> !session.socketOpen());
        }
    }

    /** How long a stopping server waits for its close frames to be written (an agent not reading may hold one). */
    static final long CLOSE_GRACE_MILLIS = 1_000;

    /** For the status page. */
    public Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("clients_online", sessions.size());
        return stats;
    }
}
