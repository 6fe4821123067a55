package org.classtop.core.http;

import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.classtop.api.Registration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-lived answers still open (streams, browser WebSockets), by the plugin that owns their route,
 * so that they end when that plugin stops or the server stops.
 */
@Singleton
public final class OpenConnections {
    private static final Logger LOG = LoggerFactory.getLogger(OpenConnections.class);
    private final Map<String, Set<AutoCloseable>> byOwner = new ConcurrentHashMap<>();

    public Registration track(String owner, AutoCloseable connection) {
        byOwner.computeIfAbsent(owner, o -> ConcurrentHashMap.newKeySet()).add(connection);
        return () -> {
            Set<AutoCloseable> open = byOwner.get(owner);
            if (open != null) {
                open.remove(connection);
            }
        };
    }

    public int count(String owner) {
        Set<AutoCloseable> open = byOwner.get(owner);
        return open == null ? 0 : open.size();
    }

    /** Closes every open answer of {@code owner}'s routes. */
    public void closeAll(String owner) {
        Set<AutoCloseable> open = byOwner.remove(owner);
        if (open == null) {
            return;
        }
        for (AutoCloseable connection : open) {
            try {
                connection.close();
            } catch (Exception e) {
                LOG.debug("[{}] closing a connection failed: {}", owner, e.toString());
            }
        }
    }

    public void closeAll() {
        for (String owner : Set.copyOf(byOwner.keySet())) {
            closeAll(owner);
        }
    }
}
