package org.classtop.testplugins;

import org.classtop.api.agent.AgentPlugin;
import org.pf4j.Extension;

/** A plugin that injects the {@link Greeter} of the plugin it depends on, behind the command {@code greet}. */
@Extension
public final class GreeterConsumer extends AgentPlugin {
    private final String command;

    public GreeterConsumer() {
        this("greet");
    }

    public GreeterConsumer(String command) {
        this.command = command;
    }

    @Override
    protected void configure() {
        command(command).to(Greet.class);
        lifecycle(RecordingLifecycle.class);
    }
}
