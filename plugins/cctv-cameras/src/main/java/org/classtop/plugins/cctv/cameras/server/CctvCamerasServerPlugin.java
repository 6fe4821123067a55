package org.classtop.plugins.cctv.cameras.server;

import org.classtop.api.server.ServerPlugin;
import org.pf4j.Extension;

/** Server side of cctv-cameras. */
@Extension
public final class CctvCamerasServerPlugin extends ServerPlugin {
    @Override
    protected void configure() {
    }
}
