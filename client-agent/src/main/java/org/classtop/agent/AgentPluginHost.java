package org.classtop.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.pluginloader.AgentDeclarations;
import org.classtop.pluginloader.PluginRecord;
import org.classtop.pluginloader.PluginRuntime;
import org.classtop.pluginloader.PluginUnit;

/**
 * Runs the agent side of the plugins through the one plugin wiring ({@link PluginRuntime}): in-process
 * ones (tests, embedding), the jars of the plugins folder and those downloaded from the server, in
 * dependency order, and loads, replaces, disables and enables them at runtime for {@link PluginSync}. A
 * plugin that fails to load, configure, wire or start is logged with a sentence and skipped; the others run.
 */
final class AgentPluginHost implements AgentPluginOps, AutoCloseable {
    private final PluginRuntime<AgentDeclarations> runtime;
    /** SHA-256 of each jar file read so far (jars are named by their hash in the cache, but not in the plugins folder). */
    private final Map<Path, String> hashes = new ConcurrentHashMap<>();
    /** Ids whose new jar waits for a restart ({@code restart_required}) → that jar's SHA-256. */
    private final Map<String, String> pending = new ConcurrentHashMap<>();

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

    /** Where PF4J reads {@code disabled.txt}; call before loading anything. */
    synchronized void pluginsRoot(Path root) {
        runtime.pluginsRoot(root, AgentVersion.release());
    }

    /** Loads and wires these jars (or plugin folders) in dependency order, without starting them. */
    synchronized void loadJars(List<Path> jars) {
        runtime.loadJars(jars);
    }

    /** Starts the lifecycles of every wired plugin, in order. */
    synchronized void startAll() {
        runtime.startAll();
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
    public synchronized Map<String, ReconcilePlan.Local> local() {
        Map<String, ReconcilePlan.Local> local = new LinkedHashMap<>();
        for (PluginRecord<AgentDeclarations> record : runtime.plugins()) {
            Path jar = record.unit().jar().orElse(null);
            boolean inProcess = jar == null && "in-process".equals(record.source());
            local.put(record.id(), new ReconcilePlan.Local(record.id(), record.version(), jar == null ? null : hash(jar),
                    record.state(), record.error(), inProcess,
                    PluginRecord.RESTART_REQUIRED.equals(record.state()) ? pending.get(record.id()) : null));
        }
        return local;
    }

    @Override
    public synchronized Outcome loadJar(Path jar) {
        try {
            return outcome(runtime.loadJar(jar));
        } catch (RuntimeException e) {
            return new Outcome(PluginRecord.FAILED, e.getMessage());
        }
    }

    @Override
    public synchronized Outcome replace(String id, Path jar) {
        try {
            PluginRecord<AgentDeclarations> record = runtime.replace(id, jar);
            if (PluginRecord.RESTART_REQUIRED.equals(record.state())) {
                pending.put(id, hash(jar));
            } else {
                pending.remove(id);
            }
            return outcome(record);
        } catch (RuntimeException e) {
            return new Outcome(PluginRecord.FAILED, e.getMessage());
        }
    }

    @Override
    public synchronized Outcome disable(String id) {
        runtime.disable(id);
        return outcome(runtime.plugin(id).orElseThrow());
    }

    @Override
    public synchronized Outcome enable(String id) {
        runtime.enable(id);
        return outcome(runtime.plugin(id).orElseThrow());
    }

    private static Outcome outcome(PluginRecord<AgentDeclarations> record) {
        return new Outcome(record.state(), record.error());
    }

    private String hash(Path jar) {
        return hashes.computeIfAbsent(jar.toAbsolutePath(), file -> {
            try {
                return Files.isRegularFile(file) ? PluginCache.sha256(file) : null;
            } catch (IOException e) {
                return null;
            }
        });
    }

    @Override
    public synchronized void close() {
        runtime.close();
    }
}
