package org.classtop.plugins.managementsync;

import org.classtop.api.server.ServerPlugin;
import org.classtop.plugins.managementsync.site.SiteBindings;
import org.pf4j.Extension;

/** Server side of management-sync. */
@Extension
public final class ManagementSyncServerPlugin extends ServerPlugin {
    @Override
    protected void configure() {
        SiteBindings.declare(this::route, this::uiPanel, this::listen, this::lifecycle, this::install);
    }
}
