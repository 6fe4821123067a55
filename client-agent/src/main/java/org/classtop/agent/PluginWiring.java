package org.classtop.agent;

import org.classtop.pluginloader.AgentDeclarations;
import org.classtop.pluginloader.DefaultPluginContext;
import org.classtop.pluginloader.RecordingAgentBinder;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Binding;
import com.google.inject.spi.Elements;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.classtop.api.Lifecycle;
import org.classtop.api.Registration;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.StateProvider;

/**
 * Wires one {@link AgentPlugin}: records its declarations, checks them against what other plugins
 * already provide, creates its Guice child injector, instantiates each declared class once and registers
 * its commands and state sections. Either everything is registered or nothing is.
 */
final class PluginWiring {
    private static final java.util.regex.Pattern PLUGIN_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Injector parent;
    private final Path agentDataDir;
    private final AgentOutbox outbox;
    private final CommandDispatcher commands;
    private final StatePublisher state;
    private final UnaryOperator<String> environment;
    private final PluginServices services;

    PluginWiring(Injector parent, Path agentDataDir, AgentOutbox outbox, CommandDispatcher commands,
                 StatePublisher state, UnaryOperator<String> environment, PluginServices services) {
        this.parent = parent;
        this.agentDataDir = agentDataDir;
        this.outbox = outbox;
        this.commands = commands;
        this.state = state;
        this.environment = environment;
        this.services = services;
    }

    /** @throws PluginConflictException with a sentence when the plugin conflicts with another one */
    WiredPlugin wire(String pluginId, String version, AgentPlugin plugin) {
        if (!PLUGIN_ID.matcher(pluginId).matches() || pluginId.matches("\\.+")) {
            throw new IllegalArgumentException("The plugin id '" + pluginId
                    + "' must be letters, digits, dots, dashes or underscores (it names the plugin's data folder).");
        }
        RecordingAgentBinder binder = new RecordingAgentBinder(pluginId);
        plugin.configure(binder);
        AgentDeclarations declared = binder.declarations();
        checkConflicts(declared);

        Set<Class<?>> toBind = new LinkedHashSet<>(declared.declaredClasses());
        Set<Key<?>> boundByPlugin = boundByPluginModules(declared.modules);
        toBind.removeIf(type -> boundByPlugin.contains(Key.get(type)));
        List<Module> modules = new ArrayList<>(declared.modules);
        modules.add(new PluginWiringModule(new DefaultPluginContext(pluginId, version, agentDataDir, environment, System::getProperty),
                new PluginAgentContext(pluginId, outbox), toBind));
        List<Registration> registrations = new ArrayList<>();
        modules.add(services.moduleFor(pluginId, registrations));
        Injector injector = parent.createChildInjector(modules);

        List<String> names = new ArrayList<>();
        try {
            for (AgentDeclarations.CommandDeclaration command : declared.commands) {
                CommandHandler handler = injector.getInstance(command.handler());
                registrations.add(commands.register(command.name(), pluginId, handler));
                names.add(command.name());
            }
            for (AgentDeclarations.StateDeclaration section : declared.states) {
                StateProvider provider = injector.getInstance(section.provider());
                registrations.add(state.register(section.section(), pluginId, provider));
            }
            List<Lifecycle> lifecycles = new ArrayList<>();
            for (Class<? extends Lifecycle> type : declared.lifecycles) {
                lifecycles.add(injector.getInstance(type));
            }
            return new WiredPlugin(pluginId, names, registrations, lifecycles);
        } catch (RuntimeException | LinkageError e) {
            for (int i = registrations.size() - 1; i >= 0; i--) {
                registrations.get(i).close();
            }
            throw e;
        }
    }

    private void checkConflicts(AgentDeclarations declared) {
        for (AgentDeclarations.CommandDeclaration command : declared.commands) {
            commands.providerOf(command.name()).ifPresent(owner -> {
                throw new PluginConflictException("Command '" + command.name() + "' is already provided by plugin '"
                        + owner + "'.");
            });
        }
        for (AgentDeclarations.StateDeclaration section : declared.states) {
            state.providerOf(section.section()).ifPresent(owner -> {
                throw new PluginConflictException("State section '" + section.section()
                        + "' is already provided by plugin '" + owner + "'.");
            });
        }
    }

    /** Keys the plugin's own modules bind; the runtime does not bind those classes a second time. */
    private static Set<Key<?>> boundByPluginModules(List<Module> modules) {
        Set<Key<?>> keys = new HashSet<>();
        for (var element : Elements.getElements(modules)) {
            if (element instanceof Binding<?> binding) {
                keys.add(binding.getKey());
            }
        }
        return keys;
    }
}
