package org.classtop.pluginloader;

import com.google.inject.AbstractModule;
import com.google.inject.Binding;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Scopes;
import com.google.inject.spi.Elements;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.classtop.api.Lifecycle;
import org.pf4j.PluginDependency;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one plugin wiring of the server and the agent. For each plugin, in dependency order: checks the id
 * (SPEC section 7) and its dependencies, records its declarations through the {@link PluginSide}, builds
 * its Guice child injector off the {@link ApiInjector} (plugin-api bindings only, plus the services of the
 * plugins it depends on), registers its declarations and creates its lifecycles; {@link #startAll()} then
 * starts the lifecycles in the same order. A plugin that fails at any step is logged and recorded with a
 * one-sentence error, whatever it registered is removed, and the others go on. {@link #stop} stops a
 * plugin's dependents first; {@link #close()} stops everything in reverse order.
 */
public final class PluginRuntime<D extends PluginDeclarations> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRuntime.class);
    /** SPEC section 7: the PF4J id, data folder, migrations folder, static folder and log prefix. */
    public static final Pattern PLUGIN_ID = Pattern.compile("[a-z][a-z0-9-]{1,63}");
    /** The id rule as the end of a sentence. */
    public static final String PLUGIN_ID_RULE = "2 to 64 lower-case letters, digits and dashes, starting with a letter.";

    private final PluginSide<D> side;
    private final Injector platformInjector;
    private final Map<String, PluginRecord<D>> records = Collections.synchronizedMap(new LinkedHashMap<>());
    /** The one PF4J manager of every jar and folder this runtime loads (so dependencies resolve across them). */
    private ClassTopPluginManager manager;
    private Path pluginsRoot;
    private String systemVersion = "0.0.0";
    private volatile LifecycleStarter starter = new LifecycleStarter(LifecycleStarter.DEFAULT_TIMEOUT);
    /** Ids {@link #loadJars(List, Set)} loads without wiring. */
    private Set<String> keepDisabled = Set.of();

    /**
     * @param platformInjector the server's (or agent's) own injector; plugins see only its plugin-api bindings,
     *                         except {@link PluginUnit#platformOwn()} ones
     */
    public PluginRuntime(PluginSide<D> side, Injector platformInjector) {
        this.side = side;
        this.platformInjector = platformInjector;
    }

    /**
     * The folder whose {@code disabled.txt}/{@code enabled.txt} PF4J reads, and the platform version that
     * {@code Plugin-Requires} is checked against. Call before the first load; otherwise the first folder or
     * jar loaded sets them.
     */
    public synchronized void pluginsRoot(Path root, String platformVersion) {
        if (manager != null) {
            throw new IllegalStateException("Plugins are loaded already: set the plugins root before loading.");
        }
        this.pluginsRoot = root.toAbsolutePath();
        this.systemVersion = platformVersion;
    }

    /** Wires one plugin now; its dependencies must be wired already. False (and a logged sentence) when it failed. */
    public synchronized boolean install(PluginUnit unit) {
        if (records.containsKey(unit.id())) {
            LOG.error("Plugin '{}' ({}) is skipped: a plugin with that id ({}) is already installed.", unit.id(),
                    unit.source(), records.get(unit.id()).source());
            return false;
        }
        return wire(record(unit));
    }

    /**
     * Loads the jars and folders of {@code folder} through PF4J and wires them in dependency order. Plugins
     * PF4J could not load, that are disabled, or whose dependencies are missing are recorded with a sentence.
     */
    public synchronized void loadFolder(Path folder, String systemVersion) {
        if (!Files.isDirectory(folder)) {
            LOG.info("No plugins folder at {}: running without plugins from disk", folder.toAbsolutePath());
            return;
        }
        if (manager == null && pluginsRoot == null) {
            pluginsRoot(folder, systemVersion);
        }
        List<Path> paths = new ArrayList<>(new org.pf4j.JarPluginRepository(folder.toAbsolutePath()).getPluginPaths());
        paths.addAll(new org.pf4j.DefaultPluginRepository(folder.toAbsolutePath()).getPluginPaths());
        loadAndWire(paths, folder);
    }

    /**
     * Loads jars (or plugin folders) through PF4J and wires them in dependency order, without starting them
     * ({@link #startAll()} does). Answers the records made, in wiring order.
     */
    public synchronized List<PluginRecord<D>> loadJars(List<Path> jars) {
        return loadJars(jars, Set.of());
    }

    /**
     * As {@link #loadJars(List)}; the plugins of {@code disabledIds} are loaded but not wired: they are listed
     * {@code disabled} and start on {@link #enable}. Their dependents wait for them, {@code disabled} too.
     */
    public synchronized List<PluginRecord<D>> loadJars(List<Path> jars, Set<String> disabledIds) {
        if (jars.isEmpty()) {
            return List.of();
        }
        keepDisabled = disabledIds;
        try {
            return loadAndWire(jars, jars.get(0).toAbsolutePath().getParent());
        } finally {
            keepDisabled = Set.of();
        }
    }

    /**
     * Loads one jar through PF4J, wires it and starts its lifecycles; an id already installed is
     * {@link #replace replaced}. Plugins that were stopped because this id went away start again.
     *
     * @throws IllegalArgumentException with a sentence when PF4J cannot read the jar as a plugin at all
     */
    public synchronized PluginRecord<D> loadJar(Path jar) {
        String id = PluginManifest.of(jar).value("Plugin-Id");
        if (id != null && records.containsKey(id)) {
            return replace(id, jar);
        }
        List<PluginRecord<D>> loaded = loadAndWire(List.of(jar.toAbsolutePath()), jar.toAbsolutePath().getParent());
        if (loaded.isEmpty()) {
            throw new IllegalArgumentException("The file " + jar.getFileName() + " is not a plugin PF4J can load.");
        }
        PluginRecord<D> record = loaded.get(0);
        if (PluginRecord.WIRED.equals(record.state)) {
            start(record);
        }
        resumeDependentsOf(record.id());
        return record;
    }

    /** Starts the lifecycles of every wired plugin, in dependency order. */
    public synchronized void startAll() {
        for (PluginRecord<D> record : List.copyOf(records.values())) {
            if (PluginRecord.WIRED.equals(record.state)) {
                start(record);
            }
        }
    }

    /** Every plugin, in wiring order. */
    public List<PluginRecord<D>> plugins() {
        synchronized (records) {
            return List.copyOf(records.values());
        }
    }

    public Optional<PluginRecord<D>> plugin(String id) {
        return Optional.ofNullable(records.get(id));
    }

    /** The same as {@link #disable}. */
    public synchronized List<String> stop(String id) {
        return disable(id);
    }

    /**
     * Stops a plugin: first the running plugins that depend on it (directly or not, dependents first), then
     * itself. Its class loaders stay loaded. It ends {@code disabled}; each dependent ends {@code disabled}
     * with a sentence and starts again on {@link #enable} of this one. Answers the ids stopped, in order.
     */
    public synchronized List<String> disable(String id) {
        PluginRecord<D> target = require(id);
        List<String> stopped = stopWithDependents(id, "disabled");
        if (!PluginRecord.RESTART_REQUIRED.equals(target.state)) {
            target.state = PluginRecord.DISABLED;
            target.error = null;
        }
        target.stoppedBy = null;
        return stopped;
    }

    /**
     * Wires and starts a disabled (or failed) plugin again, with fresh extension objects (from its jar again
     * when its class loader was unloaded), then every plugin that was stopped only because of it. Answers the
     * ids started. A plugin waiting for a restart stays as it is.
     */
    public synchronized List<String> enable(String id) {
        PluginRecord<D> record = require(id);
        List<String> started = new ArrayList<>();
        if (record.isRunning() || PluginRecord.RESTART_REQUIRED.equals(record.state)) {
            return started;
        }
        if (startAgain(record)) {
            started.add(id);
        }
        started.addAll(resumeDependentsOf(id));
        return started;
    }

    /**
     * Stops a plugin and its dependents, then unloads its class loader through PF4J (and its dependents',
     * which load again from their jars when it comes back, and meanwhile stay {@code disabled} with a
     * sentence); its record is removed. A plugin that is not unloadable is stopped but kept loaded: its
     * record becomes {@code restart_required} with a sentence. Answers the ids stopped.
     */
    public synchronized List<String> unload(String id) {
        PluginRecord<D> target = require(id);
        if (!target.unit.unloadable()) {
            List<String> stopped = stopWithDependents(id, "being removed");
            target.state = PluginRecord.RESTART_REQUIRED;
            target.error = "Plugin '" + id + "' is stopped and leaves at the next restart: it loads native code and"
                    + " cannot be unloaded while running.";
            LOG.warn(target.error);
            return stopped;
        }
        List<String> stopped = stopWithDependents(id, "not installed");
        unloadClasses(target);
        records.remove(id);
        LOG.info("Plugin '{}' {} unloaded", id, target.version());
        return stopped;
    }

    /**
     * Upgrades (or downgrades) a plugin: stops it and its dependents, unloads their class loaders, loads
     * {@code newJar}, then loads the dependents again from their jars (they linked the old classes) and
     * starts those that were running. A plugin that is not unloadable keeps running: its record becomes
     * {@code restart_required} with a sentence naming the version that starts at the next restart.
     */
    public synchronized PluginRecord<D> replace(String id, Path newJar) {
        PluginRecord<D> old = require(id);
        if (!old.unit.unloadable()) {
            old.state = PluginRecord.RESTART_REQUIRED;
            old.error = "Version " + PluginManifest.of(newJar).value("Plugin-Version") + " is installed and starts at"
                    + " the next restart: plugin '" + id + "' loads native code and cannot be replaced while running.";
            LOG.warn(old.error);
            return old;
        }
        Set<String> dependents = dependentsOf(id);
        Set<String> wereRunning = new HashSet<>();
        for (String dependent : dependents) {
            PluginRecord<D> record = records.get(dependent);
            if (record.isRunning() || (id.equals(record.stoppedBy) && PluginRecord.DISABLED.equals(record.state))) {
                wereRunning.add(dependent);
            }
        }
        stopWithDependents(id, "being replaced");
        unloadClasses(old);
        records.remove(id);
        LOG.info("Plugin '{}' {} unloaded for {}", id, old.version(), newJar.getFileName());
        List<PluginRecord<D>> loaded = loadAndWire(List.of(newJar.toAbsolutePath()), newJar.toAbsolutePath().getParent());
        if (loaded.isEmpty()) {
            throw new IllegalArgumentException("The file " + newJar.getFileName() + " is not a plugin PF4J can load.");
        }
        PluginRecord<D> fresh = loaded.get(0);
        if (PluginRecord.WIRED.equals(fresh.state)) {
            start(fresh);
        }
        for (PluginRecord<D> record : inDependencyOrder(dependents)) {
            if (wereRunning.contains(record.id())) {
                record.stoppedBy = id;
            }
        }
        resumeDependentsOf(id);
        return fresh;
    }

    /** {@link #disable} then {@link #enable}: the plugin and its dependents start again. Answers the ids started. */
    public synchronized List<String> restart(String id) {
        disable(id);
        return enable(id);
    }

    @Override
    public synchronized void close() {
        List<PluginRecord<D>> ordered = plugins();
        for (int i = ordered.size() - 1; i >= 0; i--) {
            teardown(ordered.get(i));
        }
        if (manager != null) {
            manager.stopAndUnload();
            manager = null;
        }
    }

    private PluginRecord<D> require(String id) {
        PluginRecord<D> record = records.get(id);
        if (record == null) {
            throw new IllegalArgumentException("There is no plugin '" + id + "'.");
        }
        return record;
    }

    private ClassTopPluginManager manager(Path fallbackRoot) {
        if (manager == null) {
            manager = new ClassTopPluginManager(pluginsRoot != null ? pluginsRoot : fallbackRoot.toAbsolutePath(),
                    systemVersion);
        }
        return manager;
    }

    /** PF4J loads the paths (resolving them together); each gets a record, wired in dependency order. */
    private List<PluginRecord<D>> loadAndWire(List<Path> paths, Path fallbackRoot) {
        ClassTopPluginManager pf4j = manager(fallbackRoot);
        ClassTopPluginManager.Loaded loaded = pf4j.loadPaths(paths);
        loaded.refused().forEach((path, e) -> LOG.error("Plugin file {} could not be loaded: {}", path.getFileName(),
                e.getMessage()));
        Map<String, PluginWrapper> byId = new java.util.TreeMap<>();
        loaded.wrappers().values().forEach(wrapper -> byId.put(wrapper.getPluginId(), wrapper));
        List<PluginRecord<D>> made = new ArrayList<>();
        for (String id : dependencyOrder(byId)) {
            PluginWrapper wrapper = byId.get(id);
            JarUnit unit = new JarUnit(pf4j, wrapper);
            if (records.containsKey(id)) {
                LOG.error("Plugin '{}' ({}) is skipped: a plugin with that id ({}) is already installed.", id,
                        unit.source(), records.get(id).source());
                continue;
            }
            PluginRecord<D> record = record(unit);
            made.add(record);
            PluginState state = wrapper.getPluginState();
            if (keepDisabled.contains(id)) {
                record.state = PluginRecord.DISABLED;
                LOG.info("Plugin '{}' {} ({}) is disabled", id, unit.version(), unit.source());
            } else if (state == PluginState.DISABLED && pf4j.disabledByFile(id)) {
                record.state = PluginRecord.DISABLED;
                LOG.warn("Plugin '{}' ({}) is disabled (disabled.txt)", id, unit.source());
            } else if (state == PluginState.DISABLED) {
                fail(record, new IllegalStateException("Plugin '" + id + "' needs ClassTop "
                        + wrapper.getDescriptor().getRequires() + "; this platform is " + pf4j.getSystemVersion() + "."));
            } else if (state == PluginState.FAILED) {
                Throwable cause = wrapper.getFailedException();
                fail(record, cause == null ? new IllegalStateException("Plugin '" + id + "' ("
                        + unit.source() + ") could not be loaded.") : cause);
            } else if (pf4j.dropped(wrapper) && missingDependency(unit) == null) {
                fail(record, new IllegalStateException("Plugin '" + id + "' (" + unit.source()
                        + ") has dependencies PF4J could not resolve (wrong version?)."));
            } else {
                wire(record);
            }
        }
        return made;
    }

    /** Wires and starts a record again (from its jar when its class loader was unloaded); true when started. */
    private boolean startAgain(PluginRecord<D> record) {
        PluginRecord<D> current = reloaded(record);
        if (current == null) {
            return false;
        }
        if (wire(current)) {
            start(current);
        }
        return PluginRecord.STARTED.equals(current.state);
    }

    /** Starts again, in dependency order, the plugins that were stopped because {@code id} stopped or went away. */
    private List<String> resumeDependentsOf(String id) {
        PluginRecord<D> provider = records.get(id);
        List<String> started = new ArrayList<>();
        if (provider == null || !provider.isRunning()) {
            return started;
        }
        for (PluginRecord<D> record : inDependencyOrder(dependentsOf(id))) {
            PluginRecord<D> current = records.get(record.id());
            if (current != null && id.equals(current.stoppedBy) && PluginRecord.DISABLED.equals(current.state)
                    && startAgain(current)) {
                started.add(current.id());
            }
        }
        return started;
    }

    /**
     * The record itself, or, when PF4J unloaded its class loader, a new record (moved to the end of the wiring
     * order) loaded from its jar again; null when the jar is gone (the old record then says so).
     */
    private PluginRecord<D> reloaded(PluginRecord<D> record) {
        if (!(record.unit instanceof JarUnit jarUnit) || !jarUnit.unloaded()) {
            return record;
        }
        Path path = jarUnit.path();
        if (!Files.exists(path)) {
            fail(record, new IllegalStateException("Plugin '" + record.id() + "' cannot start again: its file "
                    + path.getFileName() + " is gone."));
            return null;
        }
        records.remove(record.id());
        List<PluginRecord<D>> loaded = loadAndWireUnwired(path);
        if (loaded == null) {
            records.put(record.id(), record);
            fail(record, new IllegalStateException("Plugin '" + record.id() + "' cannot be loaded again from "
                    + path.getFileName() + "."));
            return null;
        }
        return loaded.get(0);
    }

    /** Loads one path through PF4J into a new, unwired record; null when PF4J refuses it. */
    private List<PluginRecord<D>> loadAndWireUnwired(Path path) {
        ClassTopPluginManager.Loaded loaded = manager(path.getParent()).loadPaths(List.of(path));
        if (loaded.wrappers().isEmpty()) {
            loaded.refused().forEach((p, e) -> LOG.error("Plugin file {} could not be loaded: {}", p.getFileName(),
                    e.getMessage()));
            return null;
        }
        PluginWrapper wrapper = loaded.wrappers().values().iterator().next();
        PluginRecord<D> record = record(new JarUnit(manager, wrapper));
        if (manager.dropped(wrapper)) {
            String missing = missingDependency(record.unit);
            fail(record, new IllegalStateException(missing != null ? "Plugin '" + record.id() + "' needs plugin '"
                    + dependencyId(missing) + "', which is not installed." : "Plugin '" + record.id()
                    + "' has dependencies PF4J could not resolve (wrong version?)."));
        }
        return List.of(record);
    }

    /**
     * Tears down the running plugins among {@code id} and its dependents (dependents first). Each dependent
     * that ran ends {@code disabled}, remembers {@code id}, and says "needs plugin 'x', which is {why}."
     */
    private List<String> stopWithDependents(String id, String why) {
        Set<String> dependents = dependentsOf(id);
        Set<String> all = new HashSet<>(dependents);
        all.add(id);
        List<PluginRecord<D>> ordered = inDependencyOrder(all);
        List<String> stopped = new ArrayList<>();
        for (int i = ordered.size() - 1; i >= 0; i--) {
            PluginRecord<D> record = ordered.get(i);
            boolean running = record.isRunning();
            if (running || record.live) {
                teardown(record);
                stopped.add(record.id());
                LOG.info("Plugin '{}' stopped", record.id());
            }
            if (!record.id().equals(id) && running) {
                String provider = record.unit.dependencies().stream().map(PluginRuntime::dependencyId)
                        .filter(all::contains).findFirst().orElse(id);
                record.state = PluginRecord.DISABLED;
                record.stoppedBy = id;
                record.error = "Plugin '" + record.id() + "' needs plugin '" + provider + "', which is "
                        + (provider.equals(id) ? why : "disabled") + ".";
            }
        }
        return stopped;
    }

    /** The ids of every plugin that depends on {@code id}, directly or not (optional dependencies too). */
    public synchronized Set<String> dependents(String id) {
        return Set.copyOf(dependentsOf(id));
    }

    /** Every plugin that depends on {@code id}, directly or not (optional dependencies too). */
    private Set<String> dependentsOf(String id) {
        Set<String> found = new HashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (PluginRecord<D> record : plugins()) {
                if (!found.contains(record.id()) && !record.id().equals(id) && record.unit.dependencies().stream()
                        .map(PluginRuntime::dependencyId).anyMatch(d -> d.equals(id) || found.contains(d))) {
                    found.add(record.id());
                    grew = true;
                }
            }
        }
        return found;
    }

    /** The records of {@code ids}, each after the ones it depends on (ties in wiring order). */
    private List<PluginRecord<D>> inDependencyOrder(Set<String> ids) {
        List<PluginRecord<D>> order = new ArrayList<>();
        Set<String> visiting = new HashSet<>();
        for (PluginRecord<D> record : plugins()) {
            if (ids.contains(record.id())) {
                visitRecord(record, ids, visiting, order);
            }
        }
        return order;
    }

    private void visitRecord(PluginRecord<D> record, Set<String> ids, Set<String> visiting, List<PluginRecord<D>> order) {
        if (order.contains(record) || !visiting.add(record.id())) {
            return;
        }
        for (String dependency : record.unit.dependencies()) {
            PluginRecord<D> provider = records.get(dependencyId(dependency));
            if (provider != null && ids.contains(provider.id())) {
                visitRecord(provider, ids, visiting, order);
            }
        }
        order.add(record);
    }

    /** Closes the class loader of a jar plugin through PF4J (PF4J unloads its dependents' too). */
    private void unloadClasses(PluginRecord<D> record) {
        if (record.unit instanceof JarUnit jarUnit && !jarUnit.unloaded()) {
            try {
                manager.unloadPlugin(record.id());
            } catch (RuntimeException e) {
                LOG.warn("Plugin '{}': unloading its classes failed: {}", record.id(), e.toString());
            }
        }
    }

    private void start(PluginRecord<D> record) {
        try {
            String unmet = unmetDependency(record.unit);
            if (unmet != null) {
                throw new IllegalStateException(unmet);
            }
            for (Lifecycle lifecycle : record.lifecycles) {
                startLifecycle(record, lifecycle);
                record.startedLifecycles.add(lifecycle);
            }
            record.state = PluginRecord.STARTED;
            LOG.info("Plugin '{}' {} started", record.id(), record.version());
        } catch (Exception | LinkageError e) {
            fail(record, e);
        }
    }

    /** Every lifecycle start goes through here: on its own thread, given up after the start timeout. */
    private void startLifecycle(PluginRecord<D> record, Lifecycle lifecycle) throws Exception {
        starter.start(record.id(), lifecycle);
    }

    /** How long one lifecycle's {@code start()} may take before the plugin is failed ({@link LifecycleStarter}). */
    public void startTimeout(java.time.Duration timeout) {
        starter = new LifecycleStarter(timeout);
    }

    private boolean wire(PluginRecord<D> record) {
        PluginUnit unit = record.unit;
        record.declarations = null;
        record.injector = null;
        record.error = null;
        record.stoppedBy = null;
        unit.forgetExtensions();
        try {
            if (!PLUGIN_ID.matcher(unit.id()).matches()) {
                throw new IllegalStateException("Plugin '" + unit.id() + "' has an id that breaks the rule: " + PLUGIN_ID_RULE);
            }
            String unmet = unmetDependency(unit);
            String parkedBy = disabledProvider(unit);
            if (unmet != null && parkedBy != null) {
                record.state = PluginRecord.DISABLED;
                record.stoppedBy = parkedBy;
                record.error = unmet;
                LOG.warn("{} It waits, disabled.", unmet);
                return false;
            }
            if (unmet != null) {
                throw new IllegalStateException(unmet);
            }
            D declared = side.declare(unit);
            if (declared == null) {
                record.state = PluginRecord.WIRED;
                record.live = true;
                return true;
            }
            declared.validate();
            record.declarations = declared;
            side.prepare(unit, declared);
            // Each plugin gets its own API injector: just-in-time bindings of its classes land there and go
            // with the plugin, never in an injector another plugin (or the platform) keeps.
            // The side's per-plugin bindings are recorded once; an API type they bind (e.g. AgentCommands that
            // names the plugin as requester) replaces the platform's binding for this plugin.
            List<com.google.inject.spi.Element> perPlugin =
                    com.google.inject.spi.Elements.getElements(side.bindings(unit, declared, record.onStop::add));
            Injector parent = unit.platformOwn() ? platformInjector : ApiInjector.of(platformInjector, boundKeys(perPlugin));
            // The plugin's own modules run once: their elements are recorded and replayed.
            List<com.google.inject.spi.Element> own = Elements.getElements(declared.modules);
            List<Module> modules = new ArrayList<>();
            modules.add(Elements.getModule(own));
            modules.add(Elements.getModule(perPlugin));
            modules.add(new DeclaredClassesModule(declared, boundKeys(own), importedServices(unit)));
            Injector injector = parent.createChildInjector(modules);
            record.injector = injector;
            // Services are created with their provider, so a failing one fails the provider, not a consumer.
            declared.exports.keySet().forEach(injector::getInstance);
            side.register(unit, declared, injector, record.onStop::add);
            for (Class<? extends Lifecycle> type : declared.lifecycles) {
                record.lifecycles.add(injector.getInstance(type));
            }
            record.state = PluginRecord.WIRED;
            record.live = true;
            LOG.info("Plugin '{}' {} ({}) wired", unit.id(), unit.version(), unit.source());
            return true;
        } catch (Exception | LinkageError e) {
            fail(record, e);
            return false;
        }
    }

    private static java.util.Set<com.google.inject.Key<?>> boundKeys(List<com.google.inject.spi.Element> elements) {
        java.util.Set<com.google.inject.Key<?>> keys = new java.util.HashSet<>();
        for (com.google.inject.spi.Element element : elements) {
            if (element instanceof Binding<?> binding) {
                keys.add(binding.getKey());
            }
        }
        return keys;
    }

    private PluginRecord<D> record(PluginUnit unit) {
        records.remove(unit.id());
        PluginRecord<D> record = new PluginRecord<>(unit);
        records.put(unit.id(), record);
        return record;
    }

    private void fail(PluginRecord<D> record, Throwable e) {
        String sentence = PluginFailure.sentence(record.id(), e);
        if (e instanceof IllegalStateException && e.getCause() == null && sentence.endsWith("it is skipped.")) {
            LOG.error("{} ({})", sentence, record.source());   // e.g. a start given up: says so itself, no stack trace
        } else if (e instanceof IllegalStateException && e.getCause() == null && sentence.equals(e.getMessage())) {
            LOG.error("{} It is skipped ({}).", sentence, record.source());   // our own sentence: no stack trace
        } else {
            LOG.error("{} It is skipped ({}).", sentence, record.source(), e);
        }
        teardown(record);
        record.state = PluginRecord.FAILED;
        record.error = sentence;
    }

    private void teardown(PluginRecord<D> record) {
        for (int i = record.startedLifecycles.size() - 1; i >= 0; i--) {
            Lifecycle lifecycle = record.startedLifecycles.get(i);
            try {
                lifecycle.stop();
            } catch (Exception | LinkageError e) {
                LOG.warn("Plugin '{}': stopping {} failed: {}", record.id(), lifecycle.getClass().getName(), e.toString());
            }
        }
        record.startedLifecycles.clear();
        record.lifecycles.clear();
        for (int i = record.onStop.size() - 1; i >= 0; i--) {
            try {
                record.onStop.get(i).close();
            } catch (Exception | LinkageError e) {
                LOG.warn("Plugin '{}': removing a registration failed: {}", record.id(), e.toString());
            }
        }
        record.onStop.clear();
        record.live = false;
    }

    /** A sentence about the first dependency that is missing, failed or off; null when all are running. */
    private String unmetDependency(PluginUnit unit) {
        for (String dependency : unit.dependencies()) {
            boolean optional = dependency.endsWith("?");
            String id = dependencyId(dependency);
            PluginRecord<D> provider = records.get(id);
            if (provider == null) {
                if (!optional) {
                    return "Plugin '" + unit.id() + "' needs plugin '" + id + "', which is not installed.";
                }
            } else if (PluginRecord.FAILED.equals(provider.state)) {
                return "Plugin '" + unit.id() + "' needs plugin '" + id + "', which failed: " + provider.error;
            } else if (!provider.isRunning()) {
                return "Plugin '" + unit.id() + "' needs plugin '" + id + "', which is " + provider.state + ".";
            }
        }
        return null;
    }

    /** The first required dependency that is disabled (not failed, not missing), or null. */
    private String disabledProvider(PluginUnit unit) {
        for (String dependency : unit.dependencies()) {
            PluginRecord<D> provider = records.get(dependencyId(dependency));
            if (!dependency.endsWith("?") && provider != null && PluginRecord.DISABLED.equals(provider.state)) {
                return provider.id();
            }
        }
        return null;
    }

    private String missingDependency(PluginUnit unit) {
        for (String dependency : unit.dependencies()) {
            if (!dependency.endsWith("?") && !records.containsKey(dependencyId(dependency))) {
                return dependency;
            }
        }
        return null;
    }

    /** Binds every service exported by the plugins this one depends on to the provider's own instance. */
    private Map<Key<?>, com.google.inject.Provider<?>> importedServices(PluginUnit unit) {
        Map<Key<?>, com.google.inject.Provider<?>> imported = new LinkedHashMap<>();
        for (String dependency : unit.dependencies()) {
            PluginRecord<D> provider = records.get(dependencyId(dependency));
            if (provider == null || provider.declarations == null || provider.injector == null) {
                continue;
            }
            for (Class<?> service : provider.declarations.exports.keySet()) {
                imported.put(Key.get(service), provider.injector.getProvider(service));
            }
        }
        return imported;
    }

    private static String dependencyId(String dependency) {
        String id = dependency.endsWith("?") ? dependency.substring(0, dependency.length() - 1) : dependency;
        int at = id.indexOf('@');
        return (at < 0 ? id : id.substring(0, at)).strip();
    }

    /** Ids in an order where each plugin comes after what it depends on; ties by id. Cycles keep id order. */
    private static List<String> dependencyOrder(Map<String, PluginWrapper> byId) {
        List<String> order = new ArrayList<>();
        Set<String> visiting = new HashSet<>();
        for (String id : byId.keySet()) {
            visit(id, byId, visiting, order);
        }
        return order;
    }

    private static void visit(String id, Map<String, PluginWrapper> byId, Set<String> visiting, List<String> order) {
        if (order.contains(id) || !byId.containsKey(id) || !visiting.add(id)) {
            return;
        }
        for (PluginDependency dependency : byId.get(id).getDescriptor().getDependencies()) {
            visit(dependency.getPluginId(), byId, visiting, order);
        }
        order.add(id);
    }

    /**
     * The plugin's declared handlers, lifecycles and service implementations as explicit singletons (no
     * just-in-time binding of a plugin class lands in a parent injector), its exported interfaces, and the
     * services it imports. Classes the plugin's own modules bind are left to them.
     */
    private static final class DeclaredClassesModule extends AbstractModule {
        private final PluginDeclarations declared;
        private final Set<Key<?>> boundByPlugin;
        private final Map<Key<?>, com.google.inject.Provider<?>> imported;

        DeclaredClassesModule(PluginDeclarations declared, Set<Key<?>> boundByPlugin,
                              Map<Key<?>, com.google.inject.Provider<?>> imported) {
            this.declared = declared;
            this.boundByPlugin = boundByPlugin;
            this.imported = imported;
        }

        @Override
        protected void configure() {
            for (Class<?> type : declared.declaredClasses()) {
                if (!boundByPlugin.contains(Key.get(type))) {
                    bind(type).in(Scopes.SINGLETON);
                }
            }
            declared.exports.forEach(this::bindExport);
            imported.forEach(this::bindImport);
        }

        @SuppressWarnings("unchecked")
        private <T> void bindExport(Class<?> service, Class<?> implementation) {
            bind((Class<T>) service).to((Class<? extends T>) implementation);
        }

        @SuppressWarnings("unchecked")
        private <T> void bindImport(Key<?> key, com.google.inject.Provider<?> provider) {
            bind((Key<T>) key).toProvider((com.google.inject.Provider<T>) provider);
        }
    }

    /** A plugin jar or folder found by PF4J; its extensions are created here so a failure is never silent. */
    private static final class JarUnit extends PluginUnit {
        private final ClassTopPluginManager manager;
        private final PluginWrapper wrapper;
        private final Map<String, Object> created = new ConcurrentHashMap<>();
        private final PluginManifest manifest;

        JarUnit(ClassTopPluginManager manager, PluginWrapper wrapper) {
            super(wrapper.getPluginId(), wrapper.getDescriptor().getVersion(), wrapper.getDescriptor().getPluginDescription(),
                    wrapper.getPluginPath().getFileName().toString(),
                    PluginManifest.ids(wrapper.getDescriptor().getDependencies()));
            this.manager = manager;
            this.wrapper = wrapper;
            this.manifest = PluginManifest.of(wrapper.getPluginPath());
        }

        Path path() {
            return wrapper.getPluginPath();
        }

        /** PF4J no longer holds this wrapper: its class loader is closed. */
        boolean unloaded() {
            return manager.getPlugin(id()) != wrapper;
        }

        @Override
        public Optional<Path> jar() {
            return Files.isRegularFile(wrapper.getPluginPath()) ? Optional.of(wrapper.getPluginPath()) : Optional.empty();
        }

        @Override
        public Optional<Path> location() {
            return Optional.of(wrapper.getPluginPath());
        }

        @Override
        public boolean unloadable() {
            return manifest.unloadable();
        }

        @Override
        public List<String> platforms() {
            return manifest.platforms();
        }

        @Override
        void forgetExtensions() {
            created.clear();
        }

        @Override
        public ClassLoader classLoader() {
            return wrapper.getPluginClassLoader();
        }

        @Override
        public <T> List<T> extensions(Class<T> type) {
            if (wrapper.getPluginState() != PluginState.STARTED && manager.startPlugin(id()) != PluginState.STARTED) {
                Throwable failure = wrapper.getFailedException();
                throw new IllegalStateException("Plugin '" + id() + "' could not be started by PF4J"
                        + (failure == null ? "." : ": " + failure.getMessage()), failure);
            }
            List<T> extensions = new ArrayList<>();
            for (String className : new java.util.TreeSet<>(manager.getExtensionClassNames(id()))) {
                Class<?> extensionClass;
                try {
                    extensionClass = wrapper.getPluginClassLoader().loadClass(className);
                } catch (ClassNotFoundException | LinkageError e) {
                    String missing = PluginFailure.missingClass(e);
                    if (missing != null && !missing.equals(className)) {
                        throw new IllegalStateException(PluginFailure.usesSentence(id(), missing), e);
                    }
                    throw new IllegalStateException("Plugin '" + id() + "' names the extension " + className
                            + ", which is not in " + source() + ".", e);
                }
                if (type.isAssignableFrom(extensionClass)) {
                    extensions.add(type.cast(created.computeIfAbsent(className, name -> create(extensionClass))));
                }
            }
            return extensions;
        }

        private Object create(Class<?> extensionClass) {
            try {
                return extensionClass.getDeclaredConstructor().newInstance();
            } catch (InvocationTargetException e) {
                String missing = PluginFailure.missingClass(e.getCause());
                if (missing != null) {
                    throw new IllegalStateException(PluginFailure.usesSentence(id(), missing), e.getCause());
                }
                throw new IllegalStateException("Plugin '" + id() + "': creating its extension " + extensionClass.getName()
                        + " failed: " + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Plugin '" + id() + "': its extension " + extensionClass.getName()
                        + " needs a public constructor without parameters.", e);
            } catch (LinkageError e) {
                String missing = PluginFailure.missingClass(e);
                throw new IllegalStateException(missing != null ? PluginFailure.usesSentence(id(), missing)
                        : "Plugin '" + id() + "': its extension " + extensionClass.getName() + " cannot be created: " + e, e);
            }
        }
    }
}
