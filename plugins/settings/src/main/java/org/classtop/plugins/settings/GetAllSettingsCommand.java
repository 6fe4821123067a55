package org.classtop.plugins.settings;

import jakarta.inject.Inject;
import java.util.Map;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;

/** {@code get_all_settings} → {@code {"settings":{..}}}. */
public final class GetAllSettingsCommand implements CommandHandler {
    private final SettingsStore store;

    @Inject
    public GetAllSettingsCommand(SettingsStore store) {
        this.store = store;
    }

    @Override
    public Object handle(CommandRequest request) {
        return Map.of("settings", store.all());
    }
}
