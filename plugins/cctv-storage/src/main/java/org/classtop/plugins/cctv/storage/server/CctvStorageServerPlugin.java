package org.classtop.plugins.cctv.storage.server;

import org.classtop.api.server.ServerPlugin;
import org.pf4j.Extension;

/** Server side of cctv-storage. */
@Extension
public final class CctvStorageServerPlugin extends ServerPlugin {
    @Override
    protected void configure() {
    }
}
