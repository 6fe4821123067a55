package org.classtop.core.plugins;

import com.google.inject.Injector;
import com.google.inject.Module;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URL;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.classtop.api.EventListener;
import org.classtop.api.PluginContext;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerPlugin;
import org.classtop.core.Main;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.events.EventDispatcher;
import org.classtop.core.http.RouteDefinition;
import org.classtop.core.http.RouteRegistry;
import org.classtop.core.http.RouteTemplate;
import org.classtop.core.hub.AgentStreamRouter;
import org.classtop.core.storage.PlatformDatabase;
import org.classtop.pluginloader.AgentDeclarations;
import org.classtop.pluginloader.DefaultPluginContext;
import org.classtop.pluginloader.PluginRecord;
import org.classtop.pluginloader.PluginRuntime;
import org.classtop.pluginloader.PluginSide;
import org.classtop.pluginloader.PluginUnit;
import org.classtop.pluginloader.RecordingAgentBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of the one plugin wiring ({@link PluginRuntime} in plugin-loader): loads plugins (jars
 * from the plugin folder through PF4J, or instances handed over in-process by tests) and, for each one,
 * runs its migrations, gives its injector a {@link PluginContext}, and registers its routes, listeners
 * and panels. Ids, dependency order, services, lifecycles, errors and stop order are the runtime's.
 */
@Singleton
public final class PluginHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);

    private final ServerConfig config;
    private final RouteRegistry routes;
    private final EventDispatcher events;
    private final PanelRegistry panels;
    private final PlatformDatabase database;
    private final AgentStreamRouter streams;
    private final org.classtop.core.commands.CommandBus commandBus;
    private final PluginScopedServices scoped;
    private final org.classtop.core.hub.AgentAuthenticators agentAuthenticators;
    private final PluginRuntime<ServerDeclarations> runtime;
    private final PluginSettings settings;

    @Inject
    public PluginHost(Injector injector, ServerConfig config, RouteRegistry routes, EventDispatcher events,
                      PanelRegistry panels, PlatformDatabase database, AgentStreamRouter streams,
                      org.classtop.core.commands.CommandBus commandBus, PluginScopedServices scoped,
                      org.classtop.core.hub.AgentAuthenticators agentAuthenticators, PluginSettings settings) {
        this.agentAuthenticators = agentAuthenticators;
        this.settings = settings;
        this.config = config;
        this.routes = routes;
        this.events = events;
        this.panels = panels;
        this.database = database;
        this.streams = streams;
        this.commandBus = commandBus;
        this.scoped = scoped;
        this.runtime = new PluginRuntime<>(new ServerSide(), injector);
        runtime.startTimeout(config.pluginStartTimeout());
    }

    /** Loads and wires every plugin of the plugin folder, in dependency order. */
    public void loadFolder() {
        if (!Files.isDirectory(config.pluginsDir())) {
            LOG.warn("Plugin folder {} does not exist: no plugins loaded", config.pluginsDir());
            return;
        }
        runtime.loadFolder(config.pluginsDir(), Main.VERSION);
    }

    /** Installs a plugin from instances (tests, embedding). */
    public void install(String id, String version, ServerPlugin serverSide, AgentPlugin... agentSides) {
        install(id, version, List.of(), serverSide, agentSides);
    }

    /** Installs a plugin from instances that uses the services of {@code dependencies} (installed before it). */
    public void install(String id, String version, List<String> dependencies, ServerPlugin serverSide,
                        AgentPlugin... agentSides) {
        List<Object> extensions = new ArrayList<>();
        extensions.add(serverSide);
        extensions.addAll(List.of(agentSides));
        runtime.install(PluginUnit.inProcess(id, version, dependencies, extensions.toArray()));
    }

    /** Installs the platform's own routes: the one plugin whose handlers may inject core classes. */
    public void installPlatform(String id, String version, ServerPlugin serverSide) {
        runtime.install(PluginUnit.platform(id, version, serverSide));
    }

    /** Starts every wired plugin's lifecycle services, in dependency order. */
    public void startLifecycles() {
        runtime.startAll();
    }

    /** Stops a plugin, its dependents first; answers the ids stopped. */
    public List<String> stop(String id) {
        routes.drain(id, RouteRegistry.DEFAULT_DRAIN); // its requests in flight finish; new ones get 503
        try {
            return runtime.stop(id);
        } finally {
            routes.resume(id);
        }
    }

    /** The class loader of a running plugin, for its static files. */
    public Optional<ClassLoader> classLoader(String id) {
        return runtime.plugin(id).filter(PluginRecord::isRunning).map(PluginRecord::classLoader);
    }

    /** The agent commands that running plugins declare as reads ({@code CommandBuilder.read()}). */
    public java.util.Set<String> readCommands() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (PluginRecord<ServerDeclarations> p : runtime.plugins()) {
            ServerDeclarations declared = p.declarations();
            if (declared != null && declared.agent != null && p.isRunning()) {
                declared.agent.commands.stream().filter(AgentDeclarations.CommandDeclaration::read)
                        .forEach(c -> names.add(c.name()));
            }
        }
        return names;
    }

    /** What the plugins page shows. */
    public List<Map<String, Object>> describe() {
        List<Map<String, Object>> views = new ArrayList<>();
        for (PluginRecord<ServerDeclarations> p : runtime.plugins()) {
            ServerDeclarations declared = p.declarations();
            boolean running = p.isRunning();
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", p.id());
            view.put("version", p.version());
            view.put("description", p.description());
            view.put("descriptions", declared == null ? Map.of() : declared.descriptions);
            view.put("state", p.state());
            view.put("source", p.source());
            view.put("error", p.error());
            view.put("routes", declared == null || !running ? List.of()
                    : java.util.stream.Stream.concat(declared.routes.stream().map(r -> r.method() + " " + r.path()),
                            declared.webSockets.stream().map(w -> "WEBSOCKET " + w.path())).toList());
            view.put("panels", declared == null || !running ? List.of()
                    : declared.panels.stream().map(ServerDeclarations.PanelDeclaration::name).toList());
            view.put("listeners", declared == null || !running ? List.of()
                    : declared.listeners.stream().map(ServerDeclarations.ListenerDeclaration::pattern).toList());
            List<AgentDeclarations.CommandDeclaration> commands = declared == null || declared.agent == null
                    ? List.of() : declared.agent.commands;
            view.put("commands", commands.stream().map(c -> {
                Map<String, Object> command = new LinkedHashMap<>();
                command.put("name", c.name());
                command.put("description", c.description());
                command.put("params_example", c.paramsExample());
                command.put("descriptions", c.descriptions());
                command.put("read", c.read());
                return command;
            }).toList());
            view.put("agent_streams", declared == null || !running ? List.of()
                    : declared.streams.stream().map(ServerDeclarations.StreamDeclaration::pattern).toList());
            view.put("dependencies", p.dependencies());
            view.put("exports", p.exports());
            view.put("settings", settingsOf(p.id()));
            views.add(view);
        }
        return views;
    }

    /** The declared settings of a plugin with their current values; [] when it declares none. */
    public List<Map<String, Object>> settingsOf(String id) {
        return settings.describe(id);
    }

    /** Whether a plugin of that id is installed (in any state). */
    public boolean has(String id) {
        return runtime.plugin(id).isPresent();
    }

    /** The plugin's state (started, failed, disabled, ...), or null when there is no such plugin. */
    public String state(String id) {
        return runtime.plugin(id).map(PluginRecord::state).orElse(null);
    }

    public String version(String id) {
        return runtime.plugin(id).map(PluginRecord::version).orElse(null);
    }

    /** Whether the plugin is running (wired or started). */
    public boolean isRunning(String id) {
        return runtime.plugin(id).map(PluginRecord::isRunning).orElse(false);
    }

    /**
     * Stops a plugin and starts it again from the same jar (a changed setting that is not live): its
     * requests in flight finish first. Answers the ids started again.
     */
    public List<String> restart(String id) {
        routes.drain(id, RouteRegistry.DEFAULT_DRAIN);
        try {
            return runtime.restart(id);
        } finally {
            routes.resume(id);
        }
    }

    @Override
    public void close() {
        runtime.close();
        scoped.close();
    }

    /** How the server records, prepares and registers one plugin's declarations. */
    private final class ServerSide implements PluginSide<ServerDeclarations> {
        @Override
        public ServerDeclarations declare(PluginUnit plugin) {
            List<ServerPlugin> serverSides = plugin.extensions(ServerPlugin.class);
            List<AgentPlugin> agentSides = plugin.extensions(AgentPlugin.class);
            if (serverSides.isEmpty() && agentSides.isEmpty()) {
                throw new IllegalStateException("Plugin '" + plugin.id() + "' (" + plugin.source() + ") has no "
                        + "ServerPlugin or AgentPlugin extension (is META-INF/extensions.idx missing?).");
            }
            ServerDeclarations declared = new ServerDeclarations(plugin.id());
            for (ServerPlugin side : serverSides) {
                side.configure(declared);
            }
            RecordingAgentBinder agentDeclared = new RecordingAgentBinder(plugin.id());
            for (AgentPlugin side : agentSides) {
                side.configure(agentDeclared);
            }
            declared.agent = agentDeclared.declarations();
            return declared;
        }

        @Override
        public void prepare(PluginUnit plugin, ServerDeclarations declared) {
            if (!plugin.platformOwn()) {
                database.migrate(plugin.id(), plugin.classLoader());
            }
            settings.declare(plugin.id(), declared.settings);
        }

        @Override
        public Module bindings(PluginUnit plugin, ServerDeclarations declared, Consumer<AutoCloseable> onStop) {
            PluginContext context = settings.contextFor(new DefaultPluginContext(plugin.id(), plugin.version(),
                    config.dataDir(), System::getenv, config.pluginConfig()::get));
            // A plugin's own commands name it as requester ("plugin:<id>") unless it names someone.
            org.classtop.api.server.AgentCommands commands = plugin.platformOwn() ? null : commandBus.forPlugin(plugin.id());
            // Its scheduler, Events (with subscribe), ServerInfo; what they hold ends with the plugin.
            Module services = scoped.moduleFor(plugin.id());
            onStop.accept(() -> scoped.closeAll(plugin.id()));
            return binder -> {
                binder.bind(PluginContext.class).toInstance(context);
                binder.install(services);
                if (commands != null) {
                    binder.bind(org.classtop.api.server.AgentCommands.class).toInstance(commands);
                }
            };
        }

        @Override
        public void register(PluginUnit plugin, ServerDeclarations declared, Injector injector,
                             Consumer<AutoCloseable> onStop) {
            String id = plugin.id();
            for (ServerDeclarations.RouteDeclaration r : declared.routes) {
                RouteHandler handler = injector.getInstance(r.handler());
                onStop.accept(routes.register(new RouteDefinition(id, r.method(), new RouteTemplate(r.path()),
                        r.required(), r.summary(), r.description(), r.requestExample(), r.responseExample(), handler,
                        r.authenticator() == null ? null : injector.getInstance(r.authenticator()), r.produces()))::close);
            }
            for (RouteDefinition socket : scoped.webSocketRoutes(id, injector, declared)) {
                onStop.accept(routes.register(socket)::close);
            }
            for (ServerDeclarations.ListenerDeclaration l : declared.listeners) {
                EventListener listener = injector.getInstance(l.listener());
                onStop.accept(events.listen(id, l.pattern(), listener)::close);
            }
            for (ServerDeclarations.StreamDeclaration s : declared.streams) {
                onStop.accept(streams.register(id, s.pattern(), injector.getInstance(s.receiver()))::close);
            }
            for (ServerDeclarations.AgentAuthenticatorDeclaration a : declared.agentAuthenticators) {
                onStop.accept(agentAuthenticators.register(id, a.clientType(), injector.getInstance(a.type()))::close);
            }
            for (ServerDeclarations.PanelDeclaration p : declared.panels) {
                onStop.accept(panels.register(panel(id, plugin.classLoader(), p))::close);
            }
            LOG.info("[{}] plugin {} registered: {} routes, {} panels, {} listeners, {} agent commands", id,
                    plugin.version(), declared.routes.size(), declared.panels.size(), declared.listeners.size(),
                    declared.agent == null ? 0 : declared.agent.commands.size());
        }
    }

    private static UiPanel panel(String id, ClassLoader loader, ServerDeclarations.PanelDeclaration p) {
        String prefix = "static/" + id + "/";
        if (p.script() == null || !p.script().startsWith(prefix)) {
            throw new IllegalStateException("Plugin '" + id + "': panel '" + p.name() + "' must have its script under "
                    + prefix + ".");
        }
        URL script = loader.getResource(p.script());
        if (script == null) {
            throw new IllegalStateException("Plugin '" + id + "': panel '" + p.name() + "' names " + p.script()
                    + ", which is not in the plugin.");
        }
        String element = p.element() == null ? "classtop-" + id + "-" + p.name() : p.element();
        if (!element.contains("-")) {
            throw new IllegalStateException("Plugin '" + id + "': panel element '" + element
                    + "' must contain a dash (custom element rule).");
        }
        return new UiPanel(id, p.name(), "/plugins/" + id + "/" + p.script().substring(prefix.length()), element,
                p.slot(), p.titles(), p.whenClientHas());
    }
}
