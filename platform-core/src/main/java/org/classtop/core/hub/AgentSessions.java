package org.classtop.core.hub;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.classtop.api.Event;
import org.classtop.core.clients.ClientDirectory;
import org.classtop.core.clients.ClientState;
import org.classtop.core.events.EventDispatcher;
import org.classtop.core.storage.ConnectionLogRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent connections: the registered session of each client, and the connections that have not
 * registered yet (counted per address). Ending a registered session (close, silence, replacement by the
 * admin) goes through {@link #closed}, which marks the client offline, logs it and fails its commands.
 */
@Singleton
public final class AgentSessions {
    private static final Logger LOG = LoggerFactory.getLogger(AgentSessions.class);
    /** Connections from one address that have not registered yet (they register within milliseconds). */
    static final int MAX_UNREGISTERED_PER_ADDRESS = 1000;
    /** Connects and disconnects a second logged one by one at INFO; beyond it at DEBUG, summed up once a second. */
    static final int CONNECTIONS_LOGGED_PER_SECOND = 10;

    private final ClientDirectory directory;
    private final Provider<CommandAnswers> commands;
    private final EventDispatcher events;
    private final ConnectionLogRepository connectionLog;
    private final Map<String, AgentSession> sessions = new ConcurrentHashMap<>();
    /** Connections that have not registered yet (legacy clients register with their first frame), with their start. */
    private final Map<AgentSession, Long> unregistered = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> unregisteredByAddress = new ConcurrentHashMap<>();
    private final AtomicInteger loggedThisSecond = new AtomicInteger();
    private final LongAdder connectsUnlogged = new LongAdder();
    private final LongAdder disconnectsUnlogged = new LongAdder();

    @Inject
    public AgentSessions(ClientDirectory directory, Provider<CommandAnswers> commands, EventDispatcher events,
                         ConnectionLogRepository connectionLog) {
        this.directory = directory;
        this.commands = commands;
        this.events = events;
        this.connectionLog = connectionLog;
    }

    /** The registered session of a client, or null when it is not connected. */
    public AgentSession get(String uuid) {
        return sessions.get(uuid);
    }

    public int size() {
        return sessions.size();
    }

    List<AgentSession> all() {
        return new ArrayList<>(sessions.values());
    }

    /** The registered sessions, live (weakly consistent, no copy): for walking all of them once a second. */
    Iterable<AgentSession> registered() {
        return sessions.values();
    }

    /** Atomically decides which session holds {@code uuid} (the function gets the current one, or null). */
    AgentSession compute(String uuid, UnaryOperator<AgentSession> decide) {
        return sessions.compute(uuid, (key, current) -> decide.apply(current));
    }

    // ---- connections that have not registered ---------------------------------------------

    /** Counts a new connection against its address; false when the address has too many unregistered already. */
    boolean admitUnregistered(AgentSession session) {
        AtomicInteger count = unregisteredByAddress.computeIfAbsent(session.ipAddress(), a -> new AtomicInteger());
        if (count.incrementAndGet() > MAX_UNREGISTERED_PER_ADDRESS) {
            count.decrementAndGet();
            return false;
        }
        unregistered.put(session, System.currentTimeMillis());
        return true;
    }

    /** The connection registered or closed: it no longer counts against its address. */
    void leaveUnregistered(AgentSession session) {
        if (unregistered.remove(session) != null) {
            unregisteredByAddress.computeIfPresent(session.ipAddress(), (a, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
    }

    Map<AgentSession, Long> unregistered() {
        return unregistered;
    }

    // ---- end of a session -----------------------------------------------------------------

    /** Closes the registered session of {@code uuid} with 1008 and {@code reason}; false when it has none. */
    public boolean disconnect(String uuid, String reason) {
        AgentSession session = uuid == null ? null : sessions.get(uuid);
        if (session == null) {
            return false;
        }
        LOG.info("{}: connection closed by the server: {}", describe(session), reason);
        session.close(io.undertow.websockets.core.CloseMessage.MSG_VIOLATES_POLICY, reason);
        closed(session);
        return true;
    }

    /** The session ended: if it was its client's registered one, the client goes offline and its commands fail. */
    void closed(AgentSession session) {
        ClientState client = session.client();
        if (client == null || !sessions.remove(client.uuid(), session)) {
            return;
        }
        client.disconnected();
        directory.persist(client);
        commands.get().sessionClosed(session, client);
        if (!client.unapprovedAndUnstored()) {
            connectionLog.append(client.uuid(), "disconnected", session.ipAddress(), null);
        }
        events.publish(new Event("client.disconnected", client.uuid(), Map.of("name", nameOf(client)), null));
        if (mayLogConnection()) {
            LOG.info("{} disconnected", describe(session));
        } else {
            disconnectsUnlogged.increment();
            LOG.debug("{} disconnected", describe(session));
        }
    }

    /** Logs an agent's connection: at INFO while few connect, else at DEBUG and counted in {@link #logConnectionSummary}. */
    void logConnected(AgentSession session, String how) {
        if (mayLogConnection()) {
            LOG.info("{} connected ({})", describe(session), how);
        } else {
            connectsUnlogged.increment();
            LOG.debug("{} connected ({})", describe(session), how);
        }
    }

    private boolean mayLogConnection() {
        return loggedThisSecond.get() < CONNECTIONS_LOGGED_PER_SECOND && loggedThisSecond.incrementAndGet() <= CONNECTIONS_LOGGED_PER_SECOND;
    }

    /**
     * Once a second (by the sweep): one INFO line for the connects and disconnects not logged one by one, so a
     * reconnect storm of thousands of agents a second costs a line a second, not one per agent.
     */
    void logConnectionSummary() {
        loggedThisSecond.set(0);
        long connects = connectsUnlogged.sumThenReset();
        long disconnects = disconnectsUnlogged.sumThenReset();
        if (connects > 0 || disconnects > 0) {
            LOG.info("{} more agents connected and {} disconnected in the last second (each one at DEBUG); {} online",
                    connects, disconnects, sessions.size());
        }
    }

    /** A newer connection of the same client took over: the old one's commands fail. */
    void replaced(AgentSession previous, ClientState client) {
        commands.get().sessionClosed(previous, client);
    }

    static String nameOf(ClientState client) {
        return client.name() == null ? client.uuid() : client.name();
    }

    static String describe(AgentSession session) {
        ClientState client = session.client();
        return client == null ? "agent at " + session.ipAddress() : "client " + client.label();
    }
}
