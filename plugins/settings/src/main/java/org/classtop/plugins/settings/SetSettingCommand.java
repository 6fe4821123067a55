package org.classtop.plugins.settings;

import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.classtop.api.agent.CommandException;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;

/** {@code set_setting {"key","value"}} → {@code {"key":..,"value":..}} with the value as stored. */
public final class SetSettingCommand implements CommandHandler {
    private final SettingsStore store;
    private final SettingsChanges changes;

    @Inject
    public SetSettingCommand(SettingsStore store, SettingsChanges changes) {
        this.store = store;
        this.changes = changes;
    }

    @Override
    public Object handle(CommandRequest request) {
        String key = SettingsCommandParams.key(request);
        if (!request.params().containsKey("value")) {
            throw new CommandException("Command 'set_setting' needs the parameter 'value'.");
        }
        String value = SettingsCommandParams.value(key, request.params().get("value"));
        changes.changed(SettingsCommandParams.store(() -> store.putAll(Map.of(key, value))));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("key", key);
        answer.put("value", value);
        return answer;
    }
}
