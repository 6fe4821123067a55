package org.classtop.testplugins;

import java.util.function.Consumer;
import org.classtop.api.Lifecycle;
import org.classtop.api.ServiceBuilder;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.agent.CommandBuilder;

/** An in-process plugin whose configure() is a lambda of the test. */
public final class Scripted extends AgentPlugin {
    private final Consumer<Scripted> script;

    public Scripted(Consumer<Scripted> script) {
        this.script = script;
    }

    @Override
    protected void configure() {
        script.accept(this);
    }

    public CommandBuilder declareCommand(String name) {
        return command(name);
    }

    public void declareLifecycle(Class<? extends Lifecycle> type) {
        lifecycle(type);
    }

    public <T> ServiceBuilder<T> declareExport(Class<T> service) {
        return export(service);
    }
}
