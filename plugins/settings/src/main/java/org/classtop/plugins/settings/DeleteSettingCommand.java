package org.classtop.plugins.settings;

import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;

/**
 * {@code delete_setting {"key"}} → {@code {"key":..,"deleted":true|false}}: false when the client had no
 * such setting (the command stays idempotent; the server's route turns it into a 404).
 */
public final class DeleteSettingCommand implements CommandHandler {
    private final SettingsStore store;
    private final SettingsChanges changes;

    @Inject
    public DeleteSettingCommand(SettingsStore store, SettingsChanges changes) {
        this.store = store;
        this.changes = changes;
    }

    @Override
    public Object handle(CommandRequest request) {
        String key = SettingsCommandParams.key(request);
        boolean deleted = !SettingsCommandParams.store(() -> store.remove(key) ? List.of(key) : List.of()).isEmpty();
        changes.changed(deleted ? List.of(key) : List.of());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("key", key);
        answer.put("deleted", deleted);
        return answer;
    }
}
