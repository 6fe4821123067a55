package org.classtop.plugins.settings;

import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.classtop.api.agent.CommandException;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;

/** {@code get_setting {"key"}} → {@code {"key":..,"value":..}}. */
public final class GetSettingCommand implements CommandHandler {
    private final SettingsStore store;

    @Inject
    public GetSettingCommand(SettingsStore store) {
        this.store = store;
    }

    @Override
    public Object handle(CommandRequest request) {
        String key = SettingsCommandParams.key(request);
        String value = store.get(key)
                .orElseThrow(() -> new CommandException("Setting '" + key + "' does not exist."));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("key", key);
        answer.put("value", value);
        return answer;
    }
}
