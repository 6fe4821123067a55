package org.classtop.api.agent;

import java.util.Map;

/** What the agent runtime offers a plugin; injectable into any agent-side class. */
public interface AgentContext {
    String clientUuid();

    /** Schedules a {@code state_update} to the server (coalesced; sent when connected). */
    void stateChanged();

    /**
     * Sends {@code {"type":"event","event":"<plugin-id>.<name>","data":data}} to the server; events
     * raised while disconnected are dropped.
     */
    void emit(String name, Map<String, Object> data);
}
