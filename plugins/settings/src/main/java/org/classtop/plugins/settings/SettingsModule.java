package org.classtop.plugins.settings;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/** The agent side's own bindings: one store per plugin, explicit so that it never lands in the parent injector. */
final class SettingsModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(SettingsStore.class).in(Scopes.SINGLETON);
        bind(SettingsChanges.class).in(Scopes.SINGLETON);
    }
}
