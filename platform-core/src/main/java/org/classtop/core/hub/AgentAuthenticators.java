package org.classtop.core.hub;

import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.classtop.api.Registration;
import org.classtop.api.server.AgentAuthenticator;

/**
 * The plugin-supplied authenticators of agent {@code client_type}s (e.g. {@code lms} on a management server):
 * one plugin per type; a second is refused loudly. Each registration returns the handle that removes it.
 */
@Singleton
public final class AgentAuthenticators {
    record Entry(String pluginId, AgentAuthenticator authenticator) {
    }

    private final Map<String, Entry> byType = new ConcurrentHashMap<>();

    public Registration register(String pluginId, String clientType, AgentAuthenticator authenticator) {
        Entry entry = new Entry(pluginId, authenticator);
        Entry other = byType.putIfAbsent(clientType, entry);
        if (other != null) {
            throw new IllegalStateException("Agent client type '" + clientType + "' is already authenticated by plugin '"
                    + other.pluginId() + "'.");
        }
        return () -> byType.remove(clientType, entry);
    }

    /** The authenticator of {@code clientType}, or null when the platform's enrolment decides. */
    AgentAuthenticator of(String clientType) {
        Entry entry = clientType == null ? null : byType.get(clientType);
        return entry == null ? null : entry.authenticator();
    }
}
