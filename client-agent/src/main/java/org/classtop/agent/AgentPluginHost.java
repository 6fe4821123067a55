package org.classtop.agent;

import org.classtop.pluginloader.ClassTopPluginManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.classtop.api.agent.AgentPlugin;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the agent side of the plugins: in-process ones (tests, embedding) and the jars of the plugins
 * folder through PF4J. A plugin that fails to load, configure, wire or start is logged by name and
 * skipped; the others run. Stops everything in reverse order.
 */
final class AgentPluginHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentPluginHost.class);

    private final PluginWiring wiring;
    private final List<WiredPlugin> wired = new ArrayList<>();
    private final List<WiredPlugin> running = new ArrayList<>();
    private ClassTopPluginManager pluginManager;

    AgentPluginHost(PluginWiring wiring) {
        this.wiring = wiring;
    }

    /** Wires a plugin object directly; false (and an error in the log) when it was skipped. */
    synchronized boolean addInProcess(String pluginId, String version, AgentPlugin plugin) {
        return wireSafely(pluginId, version, plugin);
    }

    /** Loads every plugin jar or folder in {@code pluginsDir} through PF4J and wires its agent side. */
    synchronized void loadFolder(Path pluginsDir) {
        if (!Files.isDirectory(pluginsDir)) {
            LOG.info("No plugins folder at {}: running without plugins from disk", pluginsDir.toAbsolutePath());
            return;
        }
        pluginManager = new ClassTopPluginManager(pluginsDir.toAbsolutePath(), AgentVersion.release());
        pluginManager.loadPlugins();
        for (PluginWrapper plugin : List.copyOf(pluginManager.getPlugins())) {
            if (plugin.getPluginState() == PluginState.FAILED) {
                LOG.error("Plugin '{}' ({}) could not be loaded and is skipped{}", plugin.getPluginId(),
                        plugin.getPluginPath().getFileName(), failureOf(plugin));
            } else if (plugin.getPluginState() == PluginState.DISABLED) {
                LOG.warn("Plugin '{}' ({}) is disabled (disabled.txt, or Plugin-Requires '{}' does not accept agent {})",
                        plugin.getPluginId(), plugin.getPluginPath().getFileName(), plugin.getDescriptor().getRequires(),
                        AgentVersion.release());
            }
        }
        for (PluginWrapper plugin : List.copyOf(pluginManager.getResolvedPlugins())) {
            wireFromJar(plugin);
        }
    }

    /** Starts the lifecycles of every wired plugin, in order. */
    synchronized void startAll() {
        for (WiredPlugin plugin : wired) {
            try {
                plugin.start();
                running.add(plugin);
                LOG.info("Plugin '{}' started with commands {}", plugin.pluginId(), plugin.commands());
            } catch (Exception | LinkageError e) {
                plugin.unregister();
                LOG.error("Plugin '{}' failed to start and is skipped", plugin.pluginId(), e);
            }
        }
        wired.clear();
    }

    /** The ids of the plugins wired or running. */
    synchronized List<String> pluginIds() {
        List<String> ids = new ArrayList<>();
        running.forEach(plugin -> ids.add(plugin.pluginId()));
        wired.forEach(plugin -> ids.add(plugin.pluginId()));
        return ids;
    }

    /** Stops lifecycles in reverse order, removes the registrations, then stops and unloads PF4J plugins. */
    @Override
    public synchronized void close() {
        List<WiredPlugin> all = new ArrayList<>(running);
        all.addAll(wired);
        for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).stop();
            all.get(i).unregister();
        }
        running.clear();
        wired.clear();
        if (pluginManager != null) {
            pluginManager.stopAndUnload();
            pluginManager = null;
        }
    }

    private void wireFromJar(PluginWrapper plugin) {
        String pluginId = plugin.getPluginId();
        try {
            if (pluginManager.startPlugin(pluginId) != PluginState.STARTED) {
                LOG.error("Plugin '{}' could not be started by PF4J and is skipped{}", pluginId, failureOf(plugin));
                return;
            }
            List<AgentPlugin> extensions = pluginManager.getExtensions(AgentPlugin.class, pluginId);
            if (extensions.isEmpty()) {
                LOG.info("Plugin '{}' has no agent side", pluginId);
                return;
            }
            for (AgentPlugin extension : extensions) {
                wireSafely(pluginId, plugin.getDescriptor().getVersion(), extension);
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.error("Plugin '{}' could not be loaded and is skipped", pluginId, e);
        }
    }

    private boolean wireSafely(String pluginId, String version, AgentPlugin plugin) {
        try {
            wired.add(wiring.wire(pluginId, version, plugin));
            return true;
        } catch (PluginConflictException e) {
            LOG.error("Plugin '{}' is skipped: {}", pluginId, e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            LOG.error("Plugin '{}' could not be configured and is skipped", pluginId, e);
        }
        return false;
    }

    private static String failureOf(PluginWrapper plugin) {
        Throwable error = plugin.getFailedException();
        return error == null ? "" : ": " + error.getMessage();
    }
}
