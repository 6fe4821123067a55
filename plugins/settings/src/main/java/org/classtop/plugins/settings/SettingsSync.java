package org.classtop.plugins.settings;

import jakarta.inject.Inject;
import org.classtop.api.agent.SyncProvider;

/** The {@code settings} section of the dual-mode sync to the management server: every setting, as text. */
public final class SettingsSync implements SyncProvider {
    private final SettingsStore store;

    @Inject
    public SettingsSync(SettingsStore store) {
        this.store = store;
    }

    @Override
    public Object syncData() {
        return store.all();
    }
}
