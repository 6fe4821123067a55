package org.classtop.core.plugins;

import com.google.inject.Module;
import java.util.ArrayList;
import java.util.List;
import org.classtop.api.Lifecycle;
import org.classtop.api.agent.AgentBinder;
import org.classtop.api.agent.CommandBuilder;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.StateProvider;

/** Reads the commands an {@link org.classtop.api.agent.AgentPlugin} declares, for the plugins page and the console. */
final class AgentDeclarations implements AgentBinder {
    record CommandInfo(String name, String description, String paramsExample) {
    }

    final List<CommandInfo> commands = new ArrayList<>();

    @Override
    public CommandBuilder command(String name) {
        return new CommandBuilder() {
            private String description;
            private String paramsExample;

            @Override
            public CommandBuilder description(String value) {
                description = value;
                return this;
            }

            @Override
            public CommandBuilder paramsExample(String json) {
                paramsExample = json;
                return this;
            }

            @Override
            public void to(Class<? extends CommandHandler> handler) {
                commands.add(new CommandInfo(name, description, paramsExample));
            }
        };
    }

    @Override
    public void state(String section, Class<? extends StateProvider> provider) {
    }

    @Override
    public void lifecycle(Class<? extends Lifecycle> service) {
    }

    @Override
    public void install(Module module) {
    }
}
