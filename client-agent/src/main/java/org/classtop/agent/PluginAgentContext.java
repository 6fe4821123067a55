package org.classtop.agent;

import java.util.Map;
import org.classtop.api.agent.AgentContext;

/** The {@link AgentContext} one plugin gets: events it emits are named {@code <plugin-id>.<name>}. */
final class PluginAgentContext implements AgentContext {
    private final String pluginId;
    private final AgentOutbox outbox;

    PluginAgentContext(String pluginId, AgentOutbox outbox) {
        this.pluginId = pluginId;
        this.outbox = outbox;
    }

    @Override
    public String clientUuid() {
        return outbox.clientUuid();
    }

    @Override
    public void stateChanged() {
        outbox.stateChanged();
    }

    @Override
    public void emit(String name, Map<String, Object> data) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("An event needs a name.");
        }
        outbox.emit(pluginId + "." + name, data == null ? Map.of() : data);
    }
}
