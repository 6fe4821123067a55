package org.classtop.core.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import org.xnio.IoUtils;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.regex.Pattern;
import org.classtop.api.Event;
import org.classtop.api.server.ClientInfo;
import org.classtop.core.Timers;
import org.classtop.core.clients.ClientDirectory;
import org.classtop.core.clients.ClientState;
import org.classtop.core.clients.EnrollmentService;
import org.classtop.core.clients.EnrollmentService.Admit;
import org.classtop.core.clients.EnrollmentService.Decision;
import org.classtop.core.clients.EnrollmentService.Refuse;
import org.classtop.core.commands.CommandBus;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.events.EventDispatcher;
import org.classtop.core.json.Json;
import org.classtop.core.storage.ConnectionLogRepository;
import org.classtop.core.storage.EventLogRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket hub of SPEC section 4: one session per agent, registration and enrolment,
 * heartbeats (offline after three silent intervals), the latest {@code state_update} per client, and
 * delivery of responses and events. Everything on the I/O threads is memory-only; database writes
 * go behind through the storage writer and events through the event dispatcher.
 */
@Singleton
public final class AgentHub implements WebSocketConnectionCallback, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentHub.class);
    /** Largest accepted text frame; a larger one closes the connection with 1009. */
    public static final int MAX_TEXT_FRAME_BYTES = 1 << 20;
    /** Largest frame from a connection that is not approved (yet): a register frame fits easily. */
    static final int MAX_UNAPPROVED_FRAME_BYTES = 64 * 1024;
    /** Frames a minute a connection that is not approved may send (it may only register and heartbeat). */
    static final int UNAPPROVED_FRAMES_PER_MINUTE = 120;
    /** Connections from one address that have not registered yet (they register within milliseconds). */
    static final int MAX_UNREGISTERED_PER_ADDRESS = 1000;
    /** Refused connections logged (and written to the connection log) per address and minute. */
    static final int REFUSALS_LOGGED_PER_MINUTE = 10;
    /** WebSocket close code 1013, "try again later". */
    static final int TRY_AGAIN_LATER = 1013;
    private static final Pattern UUID_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_NAME_LENGTH = 128;

    private final ServerConfig config;
    private final ClientDirectory directory;
    private final EnrollmentService enrollment;
    private final Provider<CommandBus> commandBus;
    private final EventDispatcher events;
    private final ConnectionLogRepository connectionLog;
    private final EventLogRepository eventLog;
    private final Timers timers;
    private final AgentStreamRouter streams;
    private final ServerConfig.AgentLimits limits;
    private final AddressRateLimiter pendingAdmissions;
    private final Map<String, AgentSession> sessions = new ConcurrentHashMap<>();
    /** Connections that have not registered yet (legacy clients register with their first frame). */
    private final Map<AgentSession, Long> unregistered = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> unregisteredByAddress = new ConcurrentHashMap<>();
    private final AddressRateLimiter refusalsLogged = new AddressRateLimiter(REFUSALS_LOGGED_PER_MINUTE);
    private ScheduledFuture<?> sweeper;

    @Inject
    public AgentHub(ServerConfig config, ClientDirectory directory, EnrollmentService enrollment,
                    Provider<CommandBus> commandBus, EventDispatcher events, ConnectionLogRepository connectionLog,
                    EventLogRepository eventLog, Timers timers, AgentStreamRouter streams) {
        this.config = config;
        this.directory = directory;
        this.enrollment = enrollment;
        this.commandBus = commandBus;
        this.events = events;
        this.connectionLog = connectionLog;
        this.eventLog = eventLog;
        this.timers = timers;
        this.streams = streams;
        this.limits = config.limits();
        this.pendingAdmissions = new AddressRateLimiter(limits.pendingConnectsPerMinute());
    }

    public void start() {
        sweeper = timers.every(this::sweepSilentAgents, 1000);
    }

    /** The registered session of a client, or null when it is not connected. */
    public AgentSession session(String uuid) {
        return sessions.get(uuid);
    }

    // ---- connection lifecycle -------------------------------------------------------------

    @Override
    public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        String pathUuid = uuidFromPath(exchange.getRequestURI());
        InetSocketAddress peer = channel.getSourceAddress();
        String ip = peer == null || peer.getAddress() == null ? "unknown" : peer.getAddress().getHostAddress();
        AgentSession session = new AgentSession(channel, pathUuid, ip, config.heartbeatInterval().toMillis(),
                limits.maxUnsentBytes(), limits.eventsPerMinute());
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected void onText(WebSocketChannel ch, StreamSourceFrameChannel message) {
                int limit = session.approved() ? MAX_TEXT_FRAME_BYTES : MAX_UNAPPROVED_FRAME_BYTES;
                new LimitedTextReader(limit, text -> AgentHub.this.onText(session, text), () -> {
                    LOG.warn("Closing {}: a message was larger than {} bytes", describe(session), limit);
                    session.close(CloseMessage.MSG_TOO_BIG, session.approved()
                            ? "Message too big: messages are limited to 1 MiB."
                            : "Message too big: until it is approved, a client's messages are limited to 64 KiB.");
                    onClosed(session);
                }, error -> {
                    LOG.debug("Read error from {}: {}", describe(session), error.toString());
                    IoUtils.safeClose(ch);
                }).start(message);
            }

            @Override
            protected void onBinary(WebSocketChannel ch, StreamSourceFrameChannel message) {
                if (session.approved()) {
                    // The binary lane (docs/protocol.md): only approved agents may use it.
                    session.touch();
                    LimitedTextReader.forBytes(AgentStreamRouter.MAX_FRAME_BYTES, bytes -> streams.onBinary(session, bytes), () -> {
                        session.close(CloseMessage.MSG_TOO_BIG, "Message too big: binary frames are limited to 1 MiB.");
                        onClosed(session);
                    }, error -> IoUtils.safeClose(ch)).start(message);
                    return;
                }
                // A client waiting for approval may not use the binary lane: read within the limit and drop.
                new LimitedTextReader(session.approved() ? MAX_TEXT_FRAME_BYTES : MAX_UNAPPROVED_FRAME_BYTES, ignored -> { }, () -> {
                    session.close(CloseMessage.MSG_TOO_BIG, "Message too big: messages are limited to 1 MiB.");
                    onClosed(session);
                }, error -> IoUtils.safeClose(ch)).start(message);
            }
        });
        channel.addCloseTask(ch -> {
            leaveUnregistered(session);
            onClosed(session);
        });
        if (unregisteredByAddress.computeIfAbsent(ip, a -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet()
                > MAX_UNREGISTERED_PER_ADDRESS) {
            unregisteredByAddress.get(ip).decrementAndGet();
            session.close(TRY_AGAIN_LATER, "Too many connections from this address have not registered yet; try again later.");
            return;
        }
        unregistered.put(session, System.currentTimeMillis());
        channel.resumeReceives();
        if (pathUuid == null && !exchange.getRequestURI().split("\\?")[0].equals("/ws")) {
            session.close(CloseMessage.MSG_VIOLATES_POLICY, "The client uuid in the URL is not valid.");
        }
    }

    /** The connection registered or closed: it no longer counts against its address. */
    private void leaveUnregistered(AgentSession session) {
        if (unregistered.remove(session) != null) {
            unregisteredByAddress.computeIfPresent(session.ipAddress(), (a, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
    }

    static String uuidFromPath(String uri) {
        String path = uri.split("\\?", 2)[0];
        if (!path.startsWith("/ws/")) {
            return null;
        }
        String uuid = path.substring(4);
        return UUID_PATTERN.matcher(uuid).matches() ? uuid : null;
    }

    private void onClosed(AgentSession session) {
        ClientState client = session.client();
        if (client == null || !sessions.remove(client.uuid(), session)) {
            return;
        }
        client.disconnected();
        directory.persist(client);
        commandBus.get().failPending(session, client);
        if (!client.unapprovedAndUnstored()) {
            connectionLog.append(client.uuid(), "disconnected", session.ipAddress(), null);
        }
        events.publish(new Event("client.disconnected", client.uuid(), Map.of("name", nameOf(client)), null));
        LOG.info("{} disconnected", describe(session));
    }

    private void sweepSilentAgents() {
        long now = System.currentTimeMillis();
        long registrationDeadline = 3 * config.heartbeatInterval().toMillis();
        unregistered.forEach((session, since) -> {
            if (now - since > registrationDeadline) {
                leaveUnregistered(session);
                session.close(CloseMessage.MSG_VIOLATES_POLICY, "No register frame or heartbeat was received: closing.");
            }
        });
        for (AgentSession session : sessions.values()) {
            long silentFor = now - session.lastSeenMillis();
            if (silentFor > 3 * session.heartbeatMillis()) {
                LOG.info("{} silent for {} s: offline", describe(session), silentFor / 1000);
                session.close(CloseMessage.GOING_AWAY, "No heartbeat for " + silentFor / 1000 + " s: the server considers this client offline.");
                onClosed(session);
            }
        }
    }

    // ---- frames -------------------------------------------------------------------------

    void onText(AgentSession session, String text) {
        session.touch();
        if (!session.approved() && !session.unapprovedFrames.tryTake()) {
            LOG.warn("Closing {}: more than {} messages a minute before approval", describe(session), UNAPPROVED_FRAMES_PER_MINUTE);
            session.close(CloseMessage.MSG_VIOLATES_POLICY, "Too many messages: a client waiting for approval may only register and send heartbeats.");
            onClosed(session);
            return;
        }
        JsonNode frame;
        try {
            frame = Json.mapper().readTree(text);
        } catch (IOException e) {
            sendError(session, "The frame is not valid JSON.");
            return;
        }
        if (frame == null || !frame.isObject()) {
            sendError(session, "A frame must be a JSON object.");
            return;
        }
        String type = frame.path("type").asText("");
        if (!session.registered()) {
            boolean explicit = type.equals("register");
            if (!register(session, frame, !explicit) || explicit || type.isEmpty()) {
                return;
            }
        }
        if (!session.approved() && !type.equals("heartbeat") && !type.equals("register")) {
            // A client waiting for approval may only wait: its state, events and answers are not kept.
            notice(session, "This client waits for an administrator's approval: its '" + type + "' messages are ignored until then.");
            return;
        }
        switch (type) {
            case "heartbeat" -> heartbeat(session, frame);
            case "state_update" -> stateUpdate(session, frame);
            case "response" -> response(session, frame, text);
            case "event" -> event(session, frame, text);
            case "register" -> reRegister(session, frame);
            default -> sendError(session, type.isEmpty()
                    ? "A frame needs a \"type\"."
                    : "Unknown frame type '" + type + "'.");
        }
    }

    /** @return false when the connection was refused */
    private boolean register(AgentSession session, JsonNode frame, boolean legacy) {
        String frameUuid = text(frame, "client_uuid");
        String uuid = session.pathUuid() != null ? session.pathUuid() : frameUuid;
        if (uuid == null || !UUID_PATTERN.matcher(uuid).matches()) {
            refuse(session, uuid, "The register frame needs a valid client_uuid.");
            return false;
        }
        if (frameUuid != null && !frameUuid.equals(uuid)) {
            refuse(session, uuid, "The client_uuid of the register frame does not match the URL.");
            return false;
        }
        ClientState known = directory.state(uuid);
        Decision decision = enrollment.decide(known, text(frame, "token"), text(frame, "enrollment_token"), legacy,
                session.ipAddress());
        if (decision instanceof Refuse refusal) {
            refuse(session, uuid, refusal.reason());
            return false;
        }
        Admit admit = (Admit) decision;
        boolean pending = EnrollmentService.PENDING.equals(admit.enrollment());
        if (pending && !pendingAdmissions.tryTake(session.ipAddress())) {
            LOG.warn("Refused {} (client {}): more than {} unapproved connections a minute from this address",
                    session.ipAddress(), uuid, limits.pendingConnectsPerMinute());
            session.close(TRY_AGAIN_LATER, "Too many unapproved connections from this address; try again in a minute.");
            return false;
        }
        // Only the client's own credential, or the address it is connected from, may replace its connection.
        AgentSession[] replaced = new AgentSession[1];
        AgentSession holder = sessions.compute(uuid, (key, current) -> {
            if (current != null && current != session && !current.isClosed() && !admit.proven()
                    && !current.ipAddress().equals(session.ipAddress())) {
                return current;
            }
            replaced[0] = current;
            return session;
        });
        if (holder != session) {
            refuse(session, uuid, "This client is already connected from another address; this second connection is refused.");
            return false;
        }
        ClientState client = known;
        if (client == null) {
            client = new ClientState(uuid);
            if (pending) {
                directory.addPending(client).ifPresent(this::dropWaiting);
            } else {
                directory.add(client);
            }
        }
        int heartbeat = frame.path("heartbeat_interval").asInt(0);
        if (heartbeat >= 1 && heartbeat <= 3600) {
            session.setHeartbeatMillis(heartbeat * 1000L);
        }
        applyRegisterFrame(client, session, frame, legacy);
        client.setEnrollment(admit.enrollment());
        if (admit.newCredential() != null) {
            client.setCredentialHash(org.classtop.core.storage.Hashes.sha256Hex(admit.newCredential()));
        }
        session.setClient(client);
        session.setApproved(EnrollmentService.APPROVED.equals(admit.enrollment()));
        leaveUnregistered(session);
        AgentSession previous = replaced[0];
        if (previous != null && previous != session) {
            previous.close(CloseMessage.NORMAL_CLOSURE, "Replaced by a newer connection of the same client.");
            commandBus.get().failPending(previous, client);
        }
        directory.persist(client);
        if (!client.unapprovedAndUnstored()) {
            // An agent that only waits for approval writes nothing, not even its connections.
            connectionLog.append(uuid, "connected", session.ipAddress(), legacy ? "legacy" : "protocol " + frame.path("protocol").asInt(0));
        }
        sendRegistered(session, admit.newCredential());
        events.publish(new Event(session.approved() ? "client.connected" : "client.pending", uuid,
                Map.of("name", nameOf(client), "ip_address", session.ipAddress()), null));
        LOG.info("{} connected ({}{})", describe(session), admit.enrollment(), legacy ? ", legacy protocol" : "");
        return true;
    }

    private void reRegister(AgentSession session, JsonNode frame) {
        if (!session.states.tryTake()) {
            notice(session, "Register frames count as state updates, which are limited to " + limits.eventsPerMinute()
                    + " a minute; this one was dropped.");
            return;
        }
        ClientState client = session.client();
        applyRegisterFrame(client, session, frame, false);
        directory.persist(client);
        sendRegistered(session, null);
    }

    /**
     * Takes what a register frame says of the client, bounded: a name of 128 characters, type and version
     * of 64, at most 1,000 capabilities of 128 characters.
     */
    private static void applyRegisterFrame(ClientState client, AgentSession session, JsonNode frame, boolean legacy) {
        String name = bounded(text(frame, "name"), MAX_NAME_LENGTH);
        if (name == null && client.name() == null) {
            name = "client-" + client.uuid().substring(0, Math.min(8, client.uuid().length()));
        }
        client.connected(name, session.ipAddress(), bounded(text(frame, "client_type"), 64),
                bounded(text(frame, "agent_version"), 64), legacy ? null : strings(frame.path("capabilities")), legacy);
    }

    private static String bounded(String value, int maxLength) {
        return value == null || value.length() <= maxLength ? value : value.substring(0, maxLength);
    }

    private void sendRegistered(AgentSession session, String credential) {
        ObjectNode reply = Json.mapper().createObjectNode();
        reply.put("type", "registered");
        reply.put("client_uuid", session.client().uuid());
        reply.put("status", session.approved() ? EnrollmentService.APPROVED : EnrollmentService.PENDING);
        reply.put("heartbeat_interval", session.heartbeatMillis() / 1000);
        reply.put("server_time", System.currentTimeMillis() / 1000.0);
        if (credential != null) {
            reply.put("credential", credential);
        }
        session.send(reply.toString());
    }

    /**
     * Closes a refused connection with its reason. The refusal is logged, and written to the connection log
     * of a known client, at most {@value #REFUSALS_LOGGED_PER_MINUTE} times a minute per address: refused
     * attempts with random uuids cost no rows.
     */
    private void refuse(AgentSession session, String uuid, String reason) {
        if (refusalsLogged.tryTake(session.ipAddress())) {
            LOG.warn("Refused connection from {} (client {}): {}", session.ipAddress(), uuid, reason);
            ClientState known = uuid == null ? null : directory.state(uuid);
            if (known != null && !known.unapprovedAndUnstored()) {
                connectionLog.append(uuid, "refused", session.ipAddress(), reason);
            }
        } else {
            LOG.debug("Refused connection from {} (client {}): {}", session.ipAddress(), uuid, reason);
        }
        session.close(CloseMessage.MSG_VIOLATES_POLICY, reason);
    }

    private void heartbeat(AgentSession session, JsonNode frame) {
        ObjectNode ack = Json.mapper().createObjectNode();
        ack.put("type", "heartbeat_ack");
        JsonNode timestamp = frame.get("timestamp");
        if (timestamp != null && timestamp.isNumber()) {
            ack.set("timestamp", timestamp);
        } else {
            ack.put("timestamp", System.currentTimeMillis() / 1000.0);
        }
        // The agent measures its clock's offset from this, to drop commands whose deadline passed.
        ack.put("server_time", System.currentTimeMillis() / 1000.0);
        session.send(ack.toString());
    }

    @SuppressWarnings("unchecked")
    private void stateUpdate(AgentSession session, JsonNode frame) {
        JsonNode data = frame.get("data");
        if (data == null || !data.isObject()) {
            sendError(session, "A state_update needs \"data\" as a JSON object.");
            return;
        }
        if (!session.states.tryTake()) {
            notice(session, "State updates are limited to " + limits.eventsPerMinute() + " a minute; this one was dropped.");
            return;
        }
        ClientState client = session.client();
        Map<String, Object> state = Json.mapper().convertValue(data, Map.class);
        client.setState(state);
        directory.persist(client);
        events.publish(new Event("client.state_changed", client.uuid(), Map.of("state", state), null));
    }

    @SuppressWarnings("unchecked")
    private void response(AgentSession session, JsonNode frame, String text) {
        String requestId = text(frame, "request_id");
        if (requestId == null) {
            sendError(session, "A response needs a \"request_id\".");
            return;
        }
        JsonNode data = frame.get("data");
        Object value = data == null || data.isNull() ? Map.of() : Json.mapper().convertValue(data, Object.class);
        commandBus.get().onResponse(session, requestId, frame.path("success").asBoolean(false), value, text.length());
    }

    @SuppressWarnings("unchecked")
    private void event(AgentSession session, JsonNode frame, String text) {
        String name = text(frame, "event");
        if (name == null || name.length() > 128) {
            sendError(session, "An event needs an \"event\" name of at most 128 characters.");
            return;
        }
        if (Utf8.longerThan(text, limits.maxEventBytes())) {
            LOG.warn("Dropped event {} of {}: larger than {} bytes", name, describe(session), limits.maxEventBytes());
            notice(session, "Event '" + name + "' was dropped: events are limited to " + limits.maxEventBytes() + " bytes.");
            return;
        }
        if (!session.events.tryTake()) {
            if (session.mayNotice()) {
                long dropped = session.events.takeRefused();
                LOG.warn("Dropped {} events of {}: more than {} a minute", dropped, describe(session), limits.eventsPerMinute());
                sendError(session, dropped + " events were dropped: events are limited to " + limits.eventsPerMinute() + " a minute.");
            }
            return;
        }
        JsonNode data = frame.get("data");
        Map<String, Object> map = data != null && data.isObject() ? Json.mapper().convertValue(data, Map.class) : Map.of();
        logAndPublish(new Event(name, session.client().uuid(), map, null));
    }

    /** Events worth keeping (agents' own, and admins' decisions) go to the event log as well as to listeners. */
    private void logAndPublish(Event event) {
        eventLog.append(event);
        events.publish(event);
    }

    /** The pending client that waited longest was dropped to make room: close its connection, if any. */
    private void dropWaiting(ClientState dropped) {
        AgentSession session = sessions.get(dropped.uuid());
        if (session != null && session.client() == dropped) {
            session.close(TRY_AGAIN_LATER, "Too many clients wait for approval; this one waited longest and was dropped.");
            onClosed(session);
        }
        events.publish(new Event("client.forgotten", dropped.uuid(), Map.of("by", "server", "name", nameOf(dropped)), null));
    }

    /** An error frame, at most one every 10 seconds per connection (a misbehaving agent gets told, not flooded). */
    private void notice(AgentSession session, String sentence) {
        if (session.mayNotice()) {
            sendError(session, sentence);
        }
    }

    private void sendError(AgentSession session, String sentence) {
        ObjectNode error = Json.mapper().createObjectNode();
        error.put("type", "error");
        error.put("error", sentence);
        session.send(error.toString());
    }

    // ---- administration -------------------------------------------------------------------

    /**
     * An admin approves a client: a connected agent is told at once and handed its credential; an
     * offline one gets it when it next connects. Approving an approved client changes nothing.
     */
    public void approve(ClientState client, String by) {
        if (EnrollmentService.APPROVED.equals(client.enrollment())) {
            return;
        }
        client.setEnrollment(EnrollmentService.APPROVED);
        AgentSession session = sessions.get(client.uuid());
        if (session != null) {
            String credential = null;
            if (!client.legacy()) {
                credential = EnrollmentService.newCredential();
                client.setCredentialHash(org.classtop.core.storage.Hashes.sha256Hex(credential));
            }
            session.setApproved(true);
            sendRegistered(session, credential);
        }
        directory.persist(client);
        logAndPublish(new Event("client.approved", client.uuid(), Map.of("by", by), null));
    }

    /** An admin rejects a client: its credential is void, its connection dropped, and it is refused from now on. */
    public void reject(ClientState client, String by) {
        voidAndDrop(client, EnrollmentService.REJECTED, "This client was rejected by an administrator.", "client.rejected", by);
    }

    /**
     * An admin asks a client to enrol again (a reinstalled PC that lost its credential, a legacy client
     * that moved to another address): its credential is void, its connection dropped, and its next
     * connection enrols as a new client would (an enrolment token, or approval).
     */
    public void reenroll(ClientState client, String by) {
        voidAndDrop(client, EnrollmentService.PENDING, "An administrator asked this client to enrol again.", "client.reenrolled", by);
    }

    private void voidAndDrop(ClientState client, String enrollment, String closeReason, String event, String by) {
        client.setEnrollment(enrollment);
        client.setCredentialHash(null);
        AgentSession session = sessions.get(client.uuid());
        if (session != null) {
            session.close(CloseMessage.MSG_VIOLATES_POLICY, closeReason);
            onClosed(session);
        }
        directory.persist(client);
        logAndPublish(new Event(event, client.uuid(), Map.of("by", by), null));
    }

    /** An admin forgets an offline client: it leaves the list (its logs stay). */
    public void forget(ClientInfo client, String by) {
        directory.remove(client.uuid());
        logAndPublish(new Event("client.forgotten", client.uuid(),
                Map.of("by", by, "name", client.name() == null ? "" : client.name()), null));
    }

    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        for (AgentSession session : new ArrayList<>(sessions.values())) {
            session.close(CloseMessage.GOING_AWAY, "The server is shutting down.");
            onClosed(session);
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    private static String text(JsonNode frame, String field) {
        JsonNode node = frame.get(field);
        return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(n -> {
                if (n.isTextual() && n.asText().length() <= 128 && values.size() < 1000) {
                    values.add(n.asText());
                }
            });
        }
        return values;
    }

    private static String nameOf(ClientState client) {
        return client.name() == null ? client.uuid() : client.name();
    }

    private static String describe(AgentSession session) {
        ClientState client = session.client();
        return client == null ? "agent at " + session.ipAddress() : "client " + client.label();
    }

    /** For the status page. */
    public Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("clients_online", sessions.size());
        return stats;
    }
}
