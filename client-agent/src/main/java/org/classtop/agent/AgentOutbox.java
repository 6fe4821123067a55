package org.classtop.agent;

import java.util.Map;

/** What plugins may push towards the server; implemented by the runtime. */
interface AgentOutbox {
    String clientUuid();

    /** Schedules a coalesced {@code state_update}. */
    void stateChanged();

    /** Sends an event now, or keeps it (bounded) until the next approved connection. */
    void emit(String event, Map<String, Object> data);
}
