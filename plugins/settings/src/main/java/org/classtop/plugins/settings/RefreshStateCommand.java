package org.classtop.plugins.settings;

import jakarta.inject.Inject;
import java.util.Map;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;

/** {@code refresh_state}: sends a {@code state_update} and answers the same state, {@code {"settings":{..}}}. */
public final class RefreshStateCommand implements CommandHandler {
    private final SettingsStore store;
    private final SettingsChanges changes;

    @Inject
    public RefreshStateCommand(SettingsStore store, SettingsChanges changes) {
        this.store = store;
        this.changes = changes;
    }

    @Override
    public Object handle(CommandRequest request) {
        changes.refresh();
        return Map.of("settings", store.all());
    }
}
