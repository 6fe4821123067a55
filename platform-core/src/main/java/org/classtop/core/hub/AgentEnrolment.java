package org.classtop.core.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.websockets.core.CloseMessage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.regex.Pattern;
import org.classtop.api.Event;
import org.classtop.core.clients.ClientDirectory;
import org.classtop.core.clients.ClientState;
import org.classtop.core.clients.EnrollmentService;
import org.classtop.core.clients.EnrollmentService.Admit;
import org.classtop.core.clients.EnrollmentService.Decision;
import org.classtop.core.clients.EnrollmentService.Refuse;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.events.EventDispatcher;
import org.classtop.core.json.Json;
import org.classtop.core.storage.ConnectionLogRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enrolment handshake of SPEC section 4: a {@code register} frame (or a legacy client's first frame)
 * is admitted, held for approval, or refused with its reason; the agent gets {@code registered}.
 */
@Singleton
public final class AgentEnrolment {
    private static final Logger LOG = LoggerFactory.getLogger(AgentEnrolment.class);
    /** Refused connections logged (and written to the connection log) per address and minute. */
    static final int REFUSALS_LOGGED_PER_MINUTE = 10;
    static final Pattern UUID_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_NAME_LENGTH = 128;

    private final AgentSessions sessions;
    private final ClientDirectory directory;
    private final EnrollmentService enrollment;
    private final EventDispatcher events;
    private final ConnectionLogRepository connectionLog;
    private final ServerConfig.AgentLimits limits;
    private final AddressRateLimiter pendingAdmissions;
    private final AgentAuthenticators authenticators;
    private final AddressRateLimiter refusalsLogged = new AddressRateLimiter(REFUSALS_LOGGED_PER_MINUTE);

    private final PluginAnnouncer plugins;

    @Inject
    public AgentEnrolment(AgentSessions sessions, ClientDirectory directory, EnrollmentService enrollment,
                          EventDispatcher events, ConnectionLogRepository connectionLog, ServerConfig config,
                          AgentAuthenticators authenticators, PluginAnnouncer plugins) {
        this.authenticators = authenticators;
        this.plugins = plugins;
        this.sessions = sessions;
        this.directory = directory;
        this.enrollment = enrollment;
        this.events = events;
        this.connectionLog = connectionLog;
        this.limits = config.limits();
        this.pendingAdmissions = new AddressRateLimiter(limits.pendingConnectsPerMinute());
    }

    /** @return false when the connection was refused */
    boolean register(AgentSession session, JsonNode frame, boolean legacy) {
        String frameUuid = Frames.text(frame, "client_uuid");
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
        Decision decision = pluginDecision(known, uuid, legacy ? null : Frames.text(frame, "client_type"),
                Frames.text(frame, "token"), session.ipAddress());
        if (decision == null) {
            decision = enrollment.decide(known, Frames.text(frame, "token"), Frames.text(frame, "enrollment_token"), legacy,
                    session.ipAddress());
        }
        if (decision instanceof Refuse refusal) {
            refuse(session, uuid, refusal.reason());
            return false;
        }
        Admit admit = (Admit) decision;
        boolean pending = EnrollmentService.PENDING.equals(admit.enrollment());
        if (pending && !pendingAdmissions.tryTake(session.ipAddress())) {
            LOG.warn("Refused {} (client {}): more than {} unapproved connections a minute from this address",
                    session.ipAddress(), uuid, limits.pendingConnectsPerMinute());
            session.close(AgentHub.TRY_AGAIN_LATER, "Too many unapproved connections from this address; try again in a minute.");
            return false;
        }
        // Only the client's own credential, or the address it is connected from, may replace its connection.
        AgentSession[] replaced = new AgentSession[1];
        AgentSession holder = sessions.compute(uuid, current -> {
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
        sessions.leaveUnregistered(session);
        AgentSession previous = replaced[0];
        if (previous != null && previous != session) {
            previous.close(CloseMessage.NORMAL_CLOSURE, "Replaced by a newer connection of the same client.");
            sessions.replaced(previous, client);
        }
        directory.persist(client);
        if (!client.unapprovedAndUnstored()) {
            // An agent that only waits for approval writes nothing, not even its connections.
            connectionLog.append(uuid, "connected", session.ipAddress(), legacy ? "legacy" : "protocol " + frame.path("protocol").asInt(0));
        }
        sendRegistered(session, admit.newCredential());
        sendPlugins(session);
        events.publish(new Event(session.approved() ? "client.connected" : "client.pending", uuid,
                Map.of("name", AgentSessions.nameOf(client), "ip_address", session.ipAddress()), null));
        sessions.logConnected(session, legacy ? admit.enrollment() + ", legacy protocol" : admit.enrollment());
        return true;
    }

    /**
     * The decision of a plugin's {@link org.classtop.api.server.AgentAuthenticator} when the frame names a client
     * type a plugin authenticates (approved at once, no credential issued, may replace an older connection),
     * a refusal when the uuid is known as such a type but now claims another; null when the platform decides.
     */
    private Decision pluginDecision(ClientState known, String uuid, String clientType, String token, String address) {
        org.classtop.api.server.AgentAuthenticator own = authenticators.of(clientType);
        if (own != null) {
            // A plugin's key vouches only for uuids of its own type: a known client of another type (an ordinary
            // agent, say) or a rejected one is never taken over by a connection that merely claims the type.
            if (known != null && !clientType.equals(known.clientType())) {
                return new Refuse("This uuid belongs to a client of type '" + (known.clientType() == null ? "client"
                        : known.clientType()) + "'; it cannot connect as '" + clientType + "'.");
            }
            if (known != null && EnrollmentService.REJECTED.equals(known.enrollment())) {
                return new Refuse("This client was rejected by an administrator.");
            }
            org.classtop.api.server.AgentAuthenticator.Verdict verdict;
            try {
                verdict = own.authenticate(uuid, token, address);
            } catch (RuntimeException e) {
                LOG.warn("The authenticator of client type '{}' failed for {}", clientType, uuid, e);
                verdict = org.classtop.api.server.AgentAuthenticator.Verdict.refuse("The server could not check this connection's credential.");
            }
            return verdict != null && verdict.admitted() ? new Admit(EnrollmentService.APPROVED, null, true)
                    : new Refuse(verdict == null ? "The credential is not valid." : verdict.reason());
        }
        String knownType = known == null ? null : known.clientType();
        if (authenticators.of(knownType) != null) {
            return new Refuse("This uuid belongs to a client of type '" + knownType + "'; it cannot connect as another type.");
        }
        return null;
    }

    /** A registered agent sends {@code register} again (its name or capabilities changed). */
    void reRegister(AgentSession session, JsonNode frame) {
        if (!session.states.tryTake()) {
            Frames.notice(session, "Register frames count as state updates, which are limited to " + limits.eventsPerMinute()
                    + " a minute; this one was dropped.");
            return;
        }
        ClientState client = session.client();
        String type = Frames.text(frame, "client_type");
        if (type != null && !type.equals(client.clientType())
                && (authenticators.of(type) != null || authenticators.of(client.clientType()) != null)) {
            // The type decided how this connection was admitted: it cannot change on the same connection.
            Frames.notice(session, "A connection cannot change its client_type; the register frame was dropped.");
            return;
        }
        applyRegisterFrame(client, session, frame, false);
        directory.persist(client);
        sendRegistered(session, null);
    }

    /**
     * Takes what a register frame says of the client, bounded: a name of 128 characters, type and version
     * of 64, at most 1,000 capabilities of 128 characters.
     */
    private static void applyRegisterFrame(ClientState client, AgentSession session, JsonNode frame, boolean legacy) {
        String name = Frames.bounded(Frames.text(frame, "name"), MAX_NAME_LENGTH);
        if (name == null && client.name() == null) {
            name = "client-" + client.uuid().substring(0, Math.min(8, client.uuid().length()));
        }
        client.connected(name, session.ipAddress(), Frames.bounded(Frames.text(frame, "client_type"), 64),
                Frames.bounded(Frames.text(frame, "agent_version"), 64), legacy ? null : Frames.strings(frame.path("capabilities")), legacy);
    }

    /** The {@code plugins} frame, to an approved agent only. */
    void sendPlugins(AgentSession session) {
        if (session.approved()) {
            plugins.sendTo(session);
        }
    }

    void sendRegistered(AgentSession session, String credential) {
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

    /** The pending client that waited longest was dropped to make room: close its connection, if any. */
    private void dropWaiting(ClientState dropped) {
        AgentSession session = sessions.get(dropped.uuid());
        if (session != null && session.client() == dropped) {
            session.close(AgentHub.TRY_AGAIN_LATER, "Too many clients wait for approval; this one waited longest and was dropped.");
            sessions.closed(session);
        }
        events.publish(new Event("client.forgotten", dropped.uuid(), Map.of("by", "server", "name", AgentSessions.nameOf(dropped)), null));
    }
}
