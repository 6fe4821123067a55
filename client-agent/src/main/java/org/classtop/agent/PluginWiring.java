package org.classtop.agent;

import com.google.inject.Injector;
import com.google.inject.Module;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.classtop.api.PluginContext;
import org.classtop.api.agent.AgentContext;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.StateProvider;
import org.classtop.api.agent.SyncProvider;
import org.classtop.pluginloader.AgentDeclarations;
import org.classtop.pluginloader.DefaultPluginContext;
import org.classtop.pluginloader.PluginSide;
import org.classtop.pluginloader.PluginUnit;
import org.classtop.pluginloader.RecordingAgentBinder;

/**
 * The agent's side of the one plugin wiring ({@link org.classtop.pluginloader.PluginRuntime}): records a
 * plugin's {@link AgentPlugin} declarations, gives its injector a {@link PluginContext} and an
 * {@link AgentContext}, and registers its commands and state sections (a name another plugin already
 * provides fails the plugin with a sentence naming that plugin).
 */
final class PluginWiring implements PluginSide<AgentDeclarations> {
    private final Injector parent;
    private final Path agentDataDir;
    private final AgentOutbox outbox;
    private final CommandDispatcher commands;
    private final StatePublisher state;
    private final SyncSections syncs;
    private final UnaryOperator<String> environment;
    private final PluginServices services;

    PluginWiring(Injector parent, Path agentDataDir, AgentOutbox outbox, CommandDispatcher commands,
                 StatePublisher state, SyncSections syncs, UnaryOperator<String> environment, PluginServices services) {
        this.parent = parent;
        this.agentDataDir = agentDataDir;
        this.outbox = outbox;
        this.commands = commands;
        this.state = state;
        this.syncs = syncs;
        this.environment = environment;
        this.services = services;
    }

    /** The agent's own injector; plugins see only its plugin-api bindings. */
    Injector platformInjector() {
        return parent;
    }

    @Override
    public AgentDeclarations declare(PluginUnit plugin) {
        List<AgentPlugin> sides = plugin.extensions(AgentPlugin.class);
        if (sides.isEmpty()) {
            return null;
        }
        RecordingAgentBinder binder = new RecordingAgentBinder(plugin.id());
        for (AgentPlugin side : sides) {
            side.configure(binder);
        }
        return binder.declarations();
    }

    @Override
    public Module bindings(PluginUnit plugin, AgentDeclarations declared, Consumer<AutoCloseable> onStop) {
        PluginContext pluginContext = new DefaultPluginContext(plugin.id(), plugin.version(), agentDataDir, environment,
                System::getProperty);
        AgentContext agentContext = new PluginAgentContext(plugin.id(), outbox);
        List<org.classtop.api.Registration> perPlugin = new java.util.ArrayList<>();
        Module agentServices = services.moduleFor(plugin.id(), perPlugin); // scheduler, binary streams, agent info
        perPlugin.forEach(registration -> onStop.accept(registration::close));
        return binder -> {
            binder.bind(PluginContext.class).toInstance(pluginContext);
            binder.bind(AgentContext.class).toInstance(agentContext);
            binder.install(agentServices);
        };
    }

    @Override
    public void register(PluginUnit plugin, AgentDeclarations declared, Injector injector, Consumer<AutoCloseable> onStop) {
        for (AgentDeclarations.CommandDeclaration command : declared.commands) {
            CommandHandler handler = injector.getInstance(command.handler());
            onStop.accept(commands.register(command.name(), plugin.id(), handler));
        }
        for (AgentDeclarations.StateDeclaration section : declared.states) {
            StateProvider provider = injector.getInstance(section.provider());
            onStop.accept(state.register(section.section(), plugin.id(), provider));
        }
        for (AgentDeclarations.SyncDeclaration sync : declared.syncs) {
            SyncProvider provider = injector.getInstance(sync.provider());
            onStop.accept(syncs.register(sync.name(), plugin.id(), provider));
        }
    }
}
