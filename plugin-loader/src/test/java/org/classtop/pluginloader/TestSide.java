package org.classtop.pluginloader;

import com.google.inject.Injector;
import com.google.inject.Module;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.classtop.api.PluginContext;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.agent.CommandHandler;

/** A minimal side for the engine tests: AgentPlugin commands into a map, as the agent does. */
final class TestSide implements PluginSide<AgentDeclarations> {
    record Owned(String owner, CommandHandler handler) {
    }

    final Map<String, Owned> commands = new ConcurrentHashMap<>();
    final Map<String, String> environment = new ConcurrentHashMap<>();
    private final Path dataRoot;

    TestSide(Path dataRoot) {
        this.dataRoot = dataRoot;
    }

    @Override
    public AgentDeclarations declare(PluginUnit plugin) {
        List<AgentPlugin> sides = plugin.extensions(AgentPlugin.class);
        if (sides.isEmpty()) {
            return null;
        }
        RecordingAgentBinder binder = new RecordingAgentBinder(plugin.id());
        sides.forEach(side -> side.configure(binder));
        return binder.declarations();
    }

    @Override
    public Module bindings(PluginUnit plugin, AgentDeclarations declared, Consumer<AutoCloseable> onStop) {
        PluginContext context = new DefaultPluginContext(plugin.id(), plugin.version(), dataRoot, environment::get, name -> null);
        return binder -> binder.bind(PluginContext.class).toInstance(context);
    }

    @Override
    public void register(PluginUnit plugin, AgentDeclarations declared, Injector injector, Consumer<AutoCloseable> onStop) {
        for (AgentDeclarations.CommandDeclaration command : declared.commands) {
            CommandHandler handler = injector.getInstance(command.handler());
            Owned existing = commands.putIfAbsent(command.name(), new Owned(plugin.id(), handler));
            if (existing != null) {
                throw new IllegalStateException("Command '" + command.name() + "' is already provided by plugin '"
                        + existing.owner() + "'.");
            }
            onStop.accept(() -> commands.remove(command.name()));
        }
    }

    Object call(String command) throws Exception {
        Owned owned = commands.get(command);
        if (owned == null) {
            throw new AssertionError("no command " + command + " among " + commands.keySet());
        }
        return owned.handler().handle(new org.classtop.api.agent.CommandRequest() {
            @Override
            public String command() {
                return command;
            }

            @Override
            public String requestId() {
                return "r-1";
            }

            @Override
            public Map<String, Object> params() {
                return Map.of();
            }

            @Override
            public java.util.Optional<String> optionalString(String name) {
                return java.util.Optional.empty();
            }
        });
    }
}
