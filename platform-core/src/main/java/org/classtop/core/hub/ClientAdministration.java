package org.classtop.core.hub;

import io.undertow.websockets.core.CloseMessage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import org.classtop.api.Event;
import org.classtop.api.server.ClientInfo;
import org.classtop.core.clients.ClientDirectory;
import org.classtop.core.clients.ClientState;
import org.classtop.core.clients.EnrollmentService;
import org.classtop.core.events.EventDispatcher;
import org.classtop.core.storage.EventLogRepository;

/**
 * An administrator's decisions on a client: approve, reject, ask to enrol again, forget. Each is written
 * to the event log and published, with who decided.
 */
@Singleton
public final class ClientAdministration {
    private final AgentSessions sessions;
    private final AgentEnrolment enrolment;
    private final ClientDirectory directory;
    private final EventDispatcher events;
    private final EventLogRepository eventLog;

    @Inject
    public ClientAdministration(AgentSessions sessions, AgentEnrolment enrolment, ClientDirectory directory,
                                EventDispatcher events, EventLogRepository eventLog) {
        this.sessions = sessions;
        this.enrolment = enrolment;
        this.directory = directory;
        this.events = events;
        this.eventLog = eventLog;
    }

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
            enrolment.sendRegistered(session, credential);
            enrolment.sendPlugins(session);
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
            sessions.closed(session);
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

    /** Admins' decisions are worth keeping: to the event log as well as to listeners. */
    private void logAndPublish(Event event) {
        eventLog.append(event);
        events.publish(event);
    }
}
