package org.classtop.core.commands;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.classtop.core.hub.AgentSession;

/**
 * The one place commands waiting for an answer are kept: by request id (to match answers and refuse a
 * reused id) and by session (to fail them when it closes).
 */
final class PendingCommands {
    private final Map<String, PendingCommand> byId = new ConcurrentHashMap<>();
    private final Map<AgentSession, Set<PendingCommand>> bySession = new ConcurrentHashMap<>();

    /** Adds the command; false when another command with its request id is still waiting. */
    boolean add(PendingCommand command) {
        if (byId.putIfAbsent(command.requestId, command) != null) {
            return false;
        }
        bySession.computeIfAbsent(command.session, s -> ConcurrentHashMap.newKeySet()).add(command);
        return true;
    }

    PendingCommand get(String requestId) {
        return byId.get(requestId);
    }

    /** Removes the command; false when it was no longer there (another outcome came first). */
    boolean remove(PendingCommand command) {
        if (!byId.remove(command.requestId, command)) {
            return false;
        }
        bySession.computeIfPresent(command.session, (s, set) -> {
            set.remove(command);
            return set.isEmpty() ? null : set;
        });
        return true;
    }

    List<PendingCommand> of(AgentSession session) {
        Set<PendingCommand> set = bySession.get(session);
        return set == null ? List.of() : List.copyOf(set);
    }

    boolean contains(PendingCommand command) {
        return byId.get(command.requestId) == command;
    }

    int size() {
        return byId.size();
    }
}
