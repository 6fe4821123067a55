package org.classtop.plugins.settings;

import jakarta.inject.Inject;
import org.classtop.api.agent.StateProvider;

/** The {@code settings} section of the agent's state: every setting. */
public final class SettingsState implements StateProvider {
    private final SettingsStore store;

    @Inject
    public SettingsState(SettingsStore store) {
        this.store = store;
    }

    @Override
    public Object currentState() {
        return store.all();
    }
}
