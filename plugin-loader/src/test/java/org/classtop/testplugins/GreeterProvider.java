package org.classtop.testplugins;

import org.classtop.api.agent.AgentPlugin;
import org.pf4j.Extension;

/** Plugin 'greeter': exports {@link Greeter}. */
@Extension
public final class GreeterProvider extends AgentPlugin {
    @Override
    protected void configure() {
        export(Greeter.class).to(CountingGreeter.class);
        lifecycle(RecordingLifecycle.class);
    }
}
