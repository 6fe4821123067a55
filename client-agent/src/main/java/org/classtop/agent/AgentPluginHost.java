package org.classtop.agent;

import java.nio.file.Path;
import java.util.List;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.pluginloader.AgentDeclarations;
import org.classtop.pluginloader.PluginRecord;
import org.classtop.pluginloader.PluginRuntime;
import org.classtop.pluginloader.PluginUnit;

/**
 * Runs the agent side of the plugins through the one plugin wiring ({@link PluginRuntime}): in-process
 * ones (tests, embedding) and the jars of the plugins folder, in dependency order. A plugin that fails to
 * load, configure, wire or start is logged with a sentence and skipped; the others run.
 */
final class AgentPluginHost implements AutoCloseable {
    private final PluginRuntime<AgentDeclarations> runtime;

    AgentPluginHost(PluginWiring wiring) {
        this.runtime = new PluginRuntime<>(wiring, wiring.platformInjector());
    }

    /** How long one lifecycle's start() may take before its plugin is failed and skipped. */
    synchronized void startTimeout(java.time.Duration timeout) {
        runtime.startTimeout(timeout);
    }

    /** Wires a plugin object directly; false (and a sentence in the log) when it was skipped. */
    synchronized boolean addInProcess(String pluginId, String version, AgentPlugin plugin) {
        return addInProcess(pluginId, version, List.of(), plugin);
    }

    /** Wires a plugin object that uses the services of {@code dependencies}, added before it. */
    synchronized boolean addInProcess(String pluginId, String version, List<String> dependencies, AgentPlugin plugin) {
        return runtime.install(PluginUnit.inProcess(pluginId, version, dependencies, plugin));
    }

    /** Loads every plugin jar or folder in {@code pluginsDir} through PF4J and wires its agent side. */
    synchronized void loadFolder(Path pluginsDir) {
        runtime.loadFolder(pluginsDir, AgentVersion.release());
    }

    /** Starts the lifecycles of every wired plugin, in order. */
    synchronized void startAll() {
        runtime.startAll();
    }

    /** Stops a plugin, its dependents first; answers the ids stopped. */
    synchronized List<String> stop(String pluginId) {
        return runtime.stop(pluginId);
    }

    /** The plugins with an agent side that are wired or running. */
    synchronized List<String> pluginIds() {
        return runtime.plugins().stream().filter(PluginRecord::isRunning).filter(p -> p.declarations() != null)
                .map(PluginRecord::id).toList();
    }

    /** Every plugin the agent knows, with its state and error. */
    List<PluginRecord<AgentDeclarations>> plugins() {
        return runtime.plugins();
    }

    @Override
    public synchronized void close() {
        runtime.close();
    }
}
