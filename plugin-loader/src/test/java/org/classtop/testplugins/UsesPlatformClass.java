package org.classtop.testplugins;

import jakarta.inject.Inject;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;
import org.classtop.pluginloader.PluginRuntime;
import org.pf4j.Extension;

/** A handler whose constructor names a platform class (plugin-loader's PluginRuntime). */
@Extension
public final class UsesPlatformClass extends AgentPlugin {
    @Override
    protected void configure() {
        command("peek").to(Peek.class);
    }

    public static final class Peek implements CommandHandler {
        @Inject
        public Peek(PluginRuntime<?> runtime) {
        }

        @Override
        public Object handle(CommandRequest request) {
            return "peeked";
        }
    }
}
