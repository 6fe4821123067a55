package org.classtop.core.hub;

import io.undertow.websockets.core.CloseMessage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.ScheduledFuture;
import org.classtop.core.Timers;
import org.classtop.core.clients.ClientDirectory;
import org.classtop.core.clients.ClientState;
import org.classtop.core.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every sixth of the heartbeat interval (1 to 5 s): closes connections that did not register within three heartbeat
 * intervals, takes offline the agents silent for three of their heartbeat intervals, and moves each connected client's
 * last-seen time to its last frame (in memory); once a second, the connection summary line. Every
 * {@value #LAST_SEEN_WRITE_HEARTBEATS} heartbeat intervals the moved last-seen times are written to the database in
 * one batch, never one write per heartbeat.
 */
@Singleton
public final class HeartbeatSweep implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatSweep.class);
    /** Last-seen times reach the database every this many heartbeat intervals (30 s by default). */
    static final int LAST_SEEN_WRITE_HEARTBEATS = 6;

    private final AgentSessions sessions;
    private final ClientDirectory directory;
    private final Timers timers;
    private final long registrationDeadlineMillis;
    private final long lastSeenWriteMillis;
    private long lastSeenWrittenAt = System.currentTimeMillis();
    /** Seconds between two walks over the sessions: a sixth of the heartbeat interval, 1 to 5. */
    private final int walkEverySeconds;
    private int secondsSinceWalk;
    private ScheduledFuture<?> sweeper;

    @Inject
    public HeartbeatSweep(AgentSessions sessions, ClientDirectory directory, Timers timers, ServerConfig config) {
        this.sessions = sessions;
        this.directory = directory;
        this.timers = timers;
        this.registrationDeadlineMillis = 3 * config.heartbeatInterval().toMillis();
        this.lastSeenWriteMillis = LAST_SEEN_WRITE_HEARTBEATS * config.heartbeatInterval().toMillis();
        this.walkEverySeconds = (int) Math.max(1, Math.min(5, config.heartbeatInterval().toSeconds() / 6));
    }

    public void start() {
        sweeper = timers.every(this::sweep, 1000);
    }

    void sweep() {
        if (++secondsSinceWalk >= walkEverySeconds) {
            secondsSinceWalk = 0;
            walk();
        }
        sessions.logConnectionSummary();
    }

    /** Each walk over 10,000 sessions costs about a millisecond of CPU: once every 5 s by default, not every second. */
    private void walk() {
        long now = System.currentTimeMillis();
        sessions.unregistered().forEach((session, since) -> {
            if (now - since > registrationDeadlineMillis) {
                sessions.leaveUnregistered(session);
                session.close(CloseMessage.MSG_VIOLATES_POLICY, "No register frame or heartbeat was received: closing.");
            }
        });
        for (AgentSession session : sessions.registered()) {
            long silentFor = now - session.lastSeenMillis();
            if (silentFor > 3 * session.heartbeatMillis()) {
                LOG.info("{} silent for {} s: offline", AgentSessions.describe(session), silentFor / 1000);
                session.close(CloseMessage.GOING_AWAY, "No heartbeat for " + silentFor / 1000 + " s: the server considers this client offline.");
                sessions.closed(session);
                continue;
            }
            ClientState client = session.client();
            if (client != null && session.lastSeenMillis() != session.sweptSeenMillis) {
                // Only the agents that sent something since the last sweep: no lock or write for the others.
                session.sweptSeenMillis = session.lastSeenMillis();
                client.seen(session.sweptSeenMillis);
            }
        }
        if (now - lastSeenWrittenAt >= lastSeenWriteMillis) {
            lastSeenWrittenAt = now;
            directory.writeLastSeen();
        }
    }

    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
    }
}
