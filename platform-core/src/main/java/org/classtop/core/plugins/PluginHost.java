package org.classtop.core.plugins;

import com.google.inject.Injector;
import com.google.inject.Module;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URL;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.classtop.api.EventListener;
import org.classtop.api.Lifecycle;
import org.classtop.api.PluginContext;
import org.classtop.api.Registration;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerPlugin;
import org.classtop.core.Main;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.events.EventDispatcher;
import org.classtop.core.http.RouteDefinition;
import org.classtop.core.http.RouteRegistry;
import org.classtop.core.http.RouteTemplate;
import org.classtop.core.storage.PlatformDatabase;
import org.classtop.pluginloader.ClassTopPluginManager;
import org.classtop.pluginloader.DefaultPluginContext;
import org.classtop.pluginloader.RecordingAgentBinder;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads plugins (jars from the plugin folder through PF4J, or instances handed over in-process by
 * tests) and wires each one: migrations, a Guice child injector, routes, listeners, panels and
 * lifecycle services. A plugin that fails at any step is logged by name, its registrations are
 * removed, and the others go on.
 */
@Singleton
public final class PluginHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);
    private static final Pattern PLUGIN_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final Injector injector;
    private final ServerConfig config;
    private final RouteRegistry routes;
    private final EventDispatcher events;
    private final PanelRegistry panels;
    private final PlatformDatabase database;
    private final PluginScopedServices scoped;
    private final List<InstalledPlugin> plugins = new CopyOnWriteArrayList<>();
    private ClassTopPluginManager pluginManager;

    @Inject
    public PluginHost(Injector injector, ServerConfig config, RouteRegistry routes, EventDispatcher events,
                      PanelRegistry panels, PlatformDatabase database, PluginScopedServices scoped) {
        this.injector = injector;
        this.config = config;
        this.routes = routes;
        this.events = events;
        this.panels = panels;
        this.database = database;
        this.scoped = scoped;
    }

    /** Loads and wires every plugin of the plugin folder. */
    public void loadFolder() {
        if (!Files.isDirectory(config.pluginsDir())) {
            LOG.warn("Plugin folder {} does not exist: no plugins loaded", config.pluginsDir());
            return;
        }
        pluginManager = new ClassTopPluginManager(config.pluginsDir(), Main.VERSION);
        pluginManager.loadPlugins();
        pluginManager.startPlugins();
        for (PluginWrapper wrapper : pluginManager.getPlugins()) {
            String id = wrapper.getPluginId();
            String source = wrapper.getPluginPath().getFileName().toString();
            if (wrapper.getPluginState() != PluginState.STARTED) {
                InstalledPlugin failed = new InstalledPlugin(id, wrapper.getDescriptor().getVersion(),
                        wrapper.getDescriptor().getPluginDescription(), source, null);
                failed.state = wrapper.getPluginState().toString().toLowerCase();
                failed.error = wrapper.getFailedException() == null ? null : wrapper.getFailedException().toString();
                plugins.add(failed);
                LOG.warn("Plugin '{}' ({}) is {}: skipped", id, source, failed.state);
                continue;
            }
            try {
                String missing = firstUnloadableExtension(wrapper);
                if (missing != null) {
                    throw new IllegalStateException("its extension class " + missing + " cannot be loaded from " + source);
                }
                List<ServerPlugin> serverSides = pluginManager.getExtensions(ServerPlugin.class, id);
                List<AgentPlugin> agentSides = pluginManager.getExtensions(AgentPlugin.class, id);
                if (serverSides.isEmpty() && agentSides.isEmpty()) {
                    throw new IllegalStateException(source + " has no ServerPlugin or AgentPlugin extension "
                            + "(is META-INF/extensions.idx missing?)");
                }
                wire(id, wrapper.getDescriptor().getVersion(), wrapper.getDescriptor().getPluginDescription(), source,
                        wrapper.getPluginClassLoader(), serverSides, agentSides);
            } catch (RuntimeException | LinkageError e) {
                LOG.error("Plugin '{}' ({}) is skipped: {}", id, source, e.getMessage() == null ? e.toString() : e.getMessage());
                InstalledPlugin failed = new InstalledPlugin(id, wrapper.getDescriptor().getVersion(), null, source, null);
                failed.state = "failed";
                failed.error = e.getMessage() == null ? e.toString() : e.getMessage();
                plugins.add(failed);
            }
        }
    }

    /** The first class named in the plugin's extension index that its class loader cannot load, or null. */
    private String firstUnloadableExtension(PluginWrapper wrapper) {
        for (String className : pluginManager.getExtensionClassNames(wrapper.getPluginId())) {
            try {
                wrapper.getPluginClassLoader().loadClass(className);
            } catch (ClassNotFoundException | LinkageError e) {
                return className;
            }
        }
        return null;
    }

    /** Installs a plugin from instances (tests, embedding, and the platform's own routes). */
    public void install(String id, String version, ServerPlugin serverSide, AgentPlugin... agentSides) {
        wire(id, version, null, "in-process", serverSide.getClass().getClassLoader(), List.of(serverSide), List.of(agentSides));
    }

    private void wire(String id, String version, String description, String source, ClassLoader loader,
                      List<ServerPlugin> serverSides, List<AgentPlugin> agentSides) {
        InstalledPlugin plugin = new InstalledPlugin(id, version, description, source, loader);
        plugins.add(plugin);
        try {
            if (!PLUGIN_ID.matcher(id).matches()) {
                throw new IllegalStateException("the plugin id must be lower-case letters, digits and dashes");
            }
            if (plugins.stream().anyMatch(p -> p != plugin && p.id.equals(id))) {
                throw new IllegalStateException("a plugin with the id '" + id + "' is already installed");
            }
            ServerDeclarations declared = new ServerDeclarations();
            for (ServerPlugin side : serverSides) {
                side.configure(declared);
            }
            RecordingAgentBinder agentDeclared = new RecordingAgentBinder(id);
            for (AgentPlugin side : agentSides) {
                side.configure(agentDeclared);
            }
            plugin.commands.addAll(agentDeclared.declarations().commands);

            database.migrate(id, loader);

            PluginContext context = new DefaultPluginContext(id, version, config.dataDir(), System::getenv,
                    config.pluginConfig()::get);
            Injector child = injector.createChildInjector(pluginModule(context, declared), scoped.moduleFor(id));

            for (ServerDeclarations.RouteDeclaration r : declared.routes) {
                RouteHandler handler = child.getInstance(r.handler());
                plugin.registrations.add(routes.register(new RouteDefinition(id, r.method(), new RouteTemplate(r.path()),
                        r.required(), r.summary(), r.description(), r.requestExample(), r.responseExample(), handler,
                        r.authenticator() == null ? null : child.getInstance(r.authenticator()), r.produces())));
                plugin.routes.add(r.method() + " " + r.path());
            }
            for (RouteDefinition socket : scoped.webSocketRoutes(id, child, declared)) {
                plugin.registrations.add(routes.register(socket));
                plugin.routes.add("WEBSOCKET " + socket.template().text());
            }
            for (ServerDeclarations.ListenerDeclaration l : declared.listeners) {
                EventListener listener = child.getInstance(l.listener());
                plugin.registrations.add(events.listen(id, l.pattern(), listener));
                plugin.listeners.add(l.pattern());
            }
            for (ServerDeclarations.PanelDeclaration p : declared.panels) {
                plugin.registrations.add(panels.register(panel(id, loader, p)));
                plugin.panels.add(p.name());
            }
            for (Class<? extends Lifecycle> type : declared.lifecycles) {
                plugin.lifecycles.add(child.getInstance(type));
            }
            plugin.state = "wired";
            LOG.info("[{}] plugin {} wired: {} routes, {} panels, {} listeners, {} agent commands", id, version,
                    plugin.routes.size(), plugin.panels.size(), plugin.listeners.size(), plugin.commands.size());
        } catch (RuntimeException | LinkageError e) {
            fail(plugin, e);
        }
    }

    private static Module pluginModule(PluginContext context, ServerDeclarations declared) {
        return binder -> {
            binder.bind(PluginContext.class).toInstance(context);
            // Explicit singleton bindings: one instance per declared class (the started lifecycle is the one
            // routes get), and no just-in-time binding of plugin classes leaks into the parent injector.
            for (Class<?> type : declared.declaredClasses()) {
                binder.bind(type).in(com.google.inject.Singleton.class);
            }
            for (Module module : declared.modules) {
                binder.install(module);
            }
        };
    }

    private static UiPanel panel(String id, ClassLoader loader, ServerDeclarations.PanelDeclaration p) {
        String prefix = "static/" + id + "/";
        if (p.script() == null || !p.script().startsWith(prefix)) {
            throw new IllegalStateException("panel '" + p.name() + "' must have its script under " + prefix);
        }
        URL script = loader.getResource(p.script());
        if (script == null) {
            throw new IllegalStateException("panel '" + p.name() + "' names " + p.script() + ", which is not in the plugin");
        }
        String element = p.element() == null ? "classtop-" + id + "-" + p.name() : p.element();
        if (!element.contains("-")) {
            throw new IllegalStateException("panel element '" + element + "' must contain a dash (custom element rule)");
        }
        return new UiPanel(id, p.name(), "/plugins/" + id + "/" + p.script().substring(prefix.length()), element,
                p.slot(), p.titles(), p.whenClientHas());
    }

    /** Starts every wired plugin's lifecycle services, in plugin order. */
    public void startLifecycles() {
        for (InstalledPlugin plugin : plugins) {
            if (!"wired".equals(plugin.state)) {
                continue;
            }
            try {
                for (Lifecycle lifecycle : plugin.lifecycles) {
                    lifecycle.start();
                }
                plugin.state = "started";
            } catch (Exception | LinkageError e) {
                fail(plugin, e);
            }
        }
    }

    private void fail(InstalledPlugin plugin, Throwable e) {
        LOG.error("[{}] plugin failed to start and is skipped: {}", plugin.id, e.toString(), e);
        stopLifecycles(plugin);
        scoped.closeAll(plugin.id);
        removeRegistrations(plugin);
        plugin.state = "failed";
        plugin.error = e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static void removeRegistrations(InstalledPlugin plugin) {
        List<Registration> handles = new ArrayList<>(plugin.registrations);
        Collections.reverse(handles);
        handles.forEach(Registration::close);
        plugin.registrations.clear();
    }

    private static void stopLifecycles(InstalledPlugin plugin) {
        List<Lifecycle> lifecycles = new ArrayList<>(plugin.lifecycles);
        Collections.reverse(lifecycles);
        for (Lifecycle lifecycle : lifecycles) {
            try {
                lifecycle.stop();
            } catch (Exception e) {
                LOG.warn("[{}] {} failed to stop: {}", plugin.id, lifecycle.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /** The class loader of a running plugin, for its static files. */
    public Optional<ClassLoader> classLoader(String id) {
        return plugins.stream().filter(p -> p.id.equals(id) && p.classLoader != null && !"failed".equals(p.state))
                .map(p -> p.classLoader).findFirst();
    }

    /** What the plugins page shows. */
    public List<Map<String, Object>> describe() {
        List<Map<String, Object>> views = new ArrayList<>();
        for (InstalledPlugin p : plugins) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", p.id);
            view.put("version", p.version);
            view.put("description", p.description);
            view.put("state", p.state);
            view.put("source", p.source);
            view.put("error", p.error);
            view.put("routes", List.copyOf(p.routes));
            view.put("panels", List.copyOf(p.panels));
            view.put("listeners", List.copyOf(p.listeners));
            view.put("commands", p.commands.stream().map(c -> {
                Map<String, Object> command = new LinkedHashMap<>();
                command.put("name", c.name());
                command.put("description", c.description());
                command.put("params_example", c.paramsExample());
                return command;
            }).toList());
            views.add(view);
        }
        return views;
    }

    @Override
    public void close() {
        List<InstalledPlugin> reversed = new ArrayList<>(plugins);
        Collections.reverse(reversed);
        for (InstalledPlugin plugin : reversed) {
            stopLifecycles(plugin);
            scoped.closeAll(plugin.id);
            removeRegistrations(plugin);
        }
        scoped.close();
        if (pluginManager != null) {
            pluginManager.stopAndUnload();
        }
    }
}
