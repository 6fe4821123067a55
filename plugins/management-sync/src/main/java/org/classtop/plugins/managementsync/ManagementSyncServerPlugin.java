package org.classtop.plugins.managementsync;

import org.classtop.api.server.ServerPlugin;
import org.pf4j.Extension;

/** Server side of management-sync. */
@Extension
public final class ManagementSyncServerPlugin extends ServerPlugin {
    @Override
    protected void configure() {
    }
}
