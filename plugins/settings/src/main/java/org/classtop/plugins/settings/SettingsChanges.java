package org.classtop.plugins.settings;

import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.classtop.api.agent.AgentContext;

/** Tells the server about changed settings: a {@code state_update} and the event {@code settings.changed}. */
public final class SettingsChanges {
    private final AgentContext agent;

    @Inject
    public SettingsChanges(AgentContext agent) {
        this.agent = agent;
    }

    /** Does nothing when no key changed. */
    public void changed(List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        agent.stateChanged();
        agent.emit("changed", Map.of("keys", List.copyOf(keys)));
    }

    /** Pushes the state again although nothing changed. */
    public void refresh() {
        agent.stateChanged();
    }
}
