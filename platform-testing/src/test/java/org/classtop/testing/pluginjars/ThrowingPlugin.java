package org.classtop.testing.pluginjars;

import org.classtop.api.server.ServerPlugin;
import org.pf4j.Extension;

/** A test plugin whose extension constructor throws. */
@Extension
public final class ThrowingPlugin extends ServerPlugin {
    public ThrowingPlugin() {
        throw new IllegalStateException("this constructor always fails");
    }

    @Override
    protected void configure() {
    }
}
