package org.classtop.pluginloader;

import com.google.inject.Module;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.classtop.api.Lifecycle;
import org.classtop.api.ServiceBuilder;
import org.classtop.api.agent.AgentBinder;
import org.classtop.api.agent.CommandBuilder;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.StateProvider;
import org.classtop.api.agent.SyncProvider;

/** Records what an {@link org.classtop.api.agent.AgentPlugin} declares; creates nothing. */
public final class RecordingAgentBinder implements AgentBinder {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,3}");

    private final String pluginId;
    private final AgentDeclarations declarations;
    private final Set<String> commandNames = new HashSet<>();
    private final Set<String> sections = new HashSet<>();
    private final Set<String> syncs = new HashSet<>();

    public RecordingAgentBinder(String pluginId) {
        this.pluginId = pluginId;
        this.declarations = new AgentDeclarations(pluginId);
    }

    @Override
    public CommandBuilder command(String name) {
        checkName(name, "command");
        if (!commandNames.add(name)) {
            throw new IllegalStateException("Plugin '" + pluginId + "' declares command '" + name + "' twice.");
        }
        declarations.commandStarted(name);
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
    public void sync(String name, Class<? extends SyncProvider> provider) {
        checkName(name, "sync section");
        Objects.requireNonNull(provider, "provider");
        if (AgentDeclarations.RESERVED_SYNC_NAMES.contains(name)) {
            throw new IllegalArgumentException("Plugin '" + pluginId + "' declares the sync section '" + name
                    + "', a name the sync request uses itself; choose another.");
        }
        if (!syncs.add(name)) {
            throw new IllegalStateException("Plugin '" + pluginId + "' declares sync section '" + name + "' twice.");
        }
        declarations.syncs.add(new AgentDeclarations.SyncDeclaration(name, provider));
    }

    @Override
    public void lifecycle(Class<? extends Lifecycle> service) {
        declarations.lifecycle(service);
    }

    @Override
    public void install(Module module) {
        declarations.install(module);
    }

    @Override
    public <T> ServiceBuilder<T> export(Class<T> service) {
        return declarations.export(service);
    }

    /** The declarations, once {@code configure()} returned; throws naming a declaration left unfinished. */
    public AgentDeclarations declarations() {
        declarations.validate();
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
        private final Map<String, String> descriptions = new LinkedHashMap<>();
        private boolean read;
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
        public CommandBuilder description(String language, String text) {
            if (language == null || !LANGUAGE.matcher(language).matches()) {
                throw new IllegalArgumentException("Plugin '" + pluginId + "' gives command '" + name
                        + "' a description in '" + language + "': use a language tag such as zh-CN.");
            }
            if (text == null || text.isBlank()) descriptions.remove(language);
            else descriptions.put(language, text);
            return this;
        }

        @Override
        public CommandBuilder read() {
            this.read = true;
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
            declarations.commandFinished(name);
            declarations.commands.add(new AgentDeclarations.CommandDeclaration(name, description, paramsExample, handler,
                    descriptions, read));
        }
    }
}
