package org.classtop.agent;

import java.util.Objects;
import java.util.Optional;

/**
 * Who this agent is to the server.
 *
 * @param clientUuid the uuid it registers with
 * @param credential the credential the server issued on approval, or null
 */
public record AgentIdentity(String clientUuid, String credential) {
    public AgentIdentity {
        Objects.requireNonNull(clientUuid, "clientUuid");
    }

    public Optional<String> issuedCredential() {
        return Optional.ofNullable(credential);
    }

    AgentIdentity withCredential(String newCredential) {
        return new AgentIdentity(clientUuid, newCredential);
    }
}
