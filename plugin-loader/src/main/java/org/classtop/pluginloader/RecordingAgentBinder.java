package org.classtop.pluginloader;

import com.google.inject.Module;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.classtop.api.Lifecycle;
import org.classtop.api.agent.AgentBinder;
import org.classtop.api.agent.CommandBuilder;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.StateProvider;

/** Records what an {@link org.classtop.api.agent.AgentPlugin} declares; creates nothing. */
public final class RecordingAgentBinder implements AgentBinder {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final String pluginId;
    private final AgentDeclarations declarations = new AgentDeclarations();
    private final Set<String> commandNames = new HashSet<>();
    private final Set<String> sections = new HashSet<>();
    private final List<String> unfinished = new ArrayList<>();

    public RecordingAgentBinder(String pluginId) {
        this.pluginId = pluginId;
    }

    @Override
    public CommandBuilder command(String name) {
        checkName(name, "command");
        if (!commandNames.add(name)) {
            throw new IllegalStateException("Plugin '" + pluginId + "' declares command '" + name + "' twice.");
        }
        unfinished.add(name);
        return new Builder(name);
    }

    @Override
    public void state(String section, Class<? extends StateProvider> provider) {
        checkName(section, "state section");
        Objects.requireNonNull(provider, "provider");
        if (!sections.add(section)) {
            throw new IllegalStateException("Plugin '" + pluginId + "' declares state section '" + section + "' twice.");
        }
        declarations.states.add(new AgentDeclarations.StateDeclaration(section, provider));
    }

    @Override
    public void lifecycle(Class<? extends Lifecycle> service) {
        Objects.requireNonNull(service, "service");
        if (!declarations.lifecycles.contains(service)) {
            declarations.lifecycles.add(service);
        }
    }

    @Override
    public void install(Module module) {
        declarations.modules.add(Objects.requireNonNull(module, "module"));
    }

    /** The declarations, once {@code configure()} returned. */
    public AgentDeclarations declarations() {
        if (!unfinished.isEmpty()) {
            throw new IllegalStateException("Plugin '" + pluginId + "' declares command '" + unfinished.get(0)
                    + "' without a handler (call .to(Handler.class)).");
        }
        return declarations;
    }

    private void checkName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Plugin '" + pluginId + "' declares the " + what + " '" + name
                    + "': use 1 to 128 letters, digits, dots, dashes or underscores.");
        }
    }

    private final class Builder implements CommandBuilder {
        private final String name;
        private String description = "";
        private String paramsExample;
        private boolean finished;

        Builder(String name) {
            this.name = name;
        }

        @Override
        public CommandBuilder description(String text) {
            this.description = text == null ? "" : text;
            return this;
        }

        @Override
        public CommandBuilder paramsExample(String json) {
            this.paramsExample = json;
            return this;
        }

        @Override
        public void to(Class<? extends CommandHandler> handler) {
            Objects.requireNonNull(handler, "handler");
            if (finished) {
                throw new IllegalStateException("Command '" + name + "' already has a handler.");
            }
            finished = true;
            unfinished.remove(name);
            declarations.commands.add(new AgentDeclarations.CommandDeclaration(name, description, paramsExample, handler));
        }
    }
}
