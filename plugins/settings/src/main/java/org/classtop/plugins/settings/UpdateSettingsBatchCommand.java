package org.classtop.plugins.settings;

import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.classtop.api.agent.CommandException;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;

/**
 * {@code update_settings_batch {"settings":{key:value,..}}} → {@code {"updated":[keys],"settings":{all}}}.
 * Every value is checked first: either all are stored or none.
 */
public final class UpdateSettingsBatchCommand implements CommandHandler {
    private final SettingsStore store;
    private final SettingsChanges changes;

    @Inject
    public UpdateSettingsBatchCommand(SettingsStore store, SettingsChanges changes) {
        this.store = store;
        this.changes = changes;
    }

    @Override
    public Object handle(CommandRequest request) {
        if (!request.params().containsKey("settings")) {
            throw new CommandException("Command 'update_settings_batch' needs the parameter 'settings'.");
        }
        Map<String, String> values;
        try {
            values = SettingValues.checkBatch(request.params().get("settings"));
        } catch (InvalidSettingException e) {
            throw new CommandException(e.getMessage());
        }
        changes.changed(SettingsCommandParams.store(() -> store.putAll(values)));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("updated", List.copyOf(values.keySet()));
        answer.put("settings", store.all());
        return answer;
    }
}
