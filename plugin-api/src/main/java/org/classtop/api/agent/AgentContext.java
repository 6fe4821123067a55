package org.classtop.api.agent;

import java.util.Map;

/** What the agent runtime offers a plugin; injectable into any agent-side class. */
public interface AgentContext {
    String clientUuid();

    /** Schedules a {@code state_update} to the server (coalesced; sent when connected). */
    void stateChanged();

    /**
     * Sends {@code {"type":"event","event":"<plugin-id>.<name>","data":data}} to the server. Events
     * raised while the agent is disconnected (or not approved yet) wait, a bounded number of them (1,000 by
     * default), and go in order after the next approval; beyond the bound the oldest is dropped, and the
     * server gets an {@code agent.events_dropped} event {@code {"dropped":n}}.
     */
    void emit(String name, Map<String, Object> data);
}
