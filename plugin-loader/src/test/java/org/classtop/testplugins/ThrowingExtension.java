package org.classtop.testplugins;

import org.classtop.api.agent.AgentPlugin;
import org.pf4j.Extension;

@Extension
public final class ThrowingExtension extends AgentPlugin {
    public ThrowingExtension() {
        throw new IllegalStateException("the constructor says no");
    }

    @Override
    protected void configure() {
    }
}
