package org.classtop.plugins.cctv.recording.server;

import org.classtop.api.server.ServerPlugin;
import org.pf4j.Extension;

/** Server side of cctv-recording. */
@Extension
public final class CctvRecordingServerPlugin extends ServerPlugin {
    @Override
    protected void configure() {
    }
}
