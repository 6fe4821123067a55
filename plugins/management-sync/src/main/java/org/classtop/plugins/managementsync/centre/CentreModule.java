package org.classtop.plugins.managementsync.centre;

import com.google.inject.AbstractModule;

/** The centre part's shared services, bound in the plugin's own injector (bind only). */
public final class CentreModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(CentreSettings.class);
        bind(Sites.class);
        bind(CentreStore.class);
        bind(Principals.class);
        bind(Centre.class);
        bind(CommandRouter.class);
    }
}
