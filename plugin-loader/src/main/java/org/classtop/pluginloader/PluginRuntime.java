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

    private final PluginSide<D> side;
    private final Injector platformInjector;
    private final Map<String, PluginRecord<D>> records = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<ClassTopPluginManager> managers = new ArrayList<>();
    private volatile LifecycleStarter starter = new LifecycleStarter(LifecycleStarter.DEFAULT_TIMEOUT);

    /**
     * @param platformInjector the server's (or agent's) own injector; plugins see only its plugin-api bindings,
     *                         except {@link PluginUnit#platformOwn()} ones
     */
    public PluginRuntime(PluginSide<D> side, Injector platformInjector) {
        this.side = side;
        this.platformInjector = platformInjector;
    }

    /** Wires one plugin now; its dependencies must be wired already. False (and a logged sentence) when it failed. */
    public synchronized boolean install(PluginUnit unit) {
        return wire(unit);
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
        ClassTopPluginManager manager = new ClassTopPluginManager(folder.toAbsolutePath(), systemVersion);
        managers.add(manager);
        manager.loadPlugins();
        List<PluginWrapper> all = new ArrayList<>(manager.getPlugins());
        all.addAll(manager.unresolvedPlugins());
        all.sort(Comparator.comparing(PluginWrapper::getPluginId));
        Map<String, PluginWrapper> byId = new LinkedHashMap<>();
        all.forEach(wrapper -> byId.put(wrapper.getPluginId(), wrapper));
        for (String id : dependencyOrder(byId)) {
            PluginWrapper wrapper = byId.get(id);
            JarUnit unit = new JarUnit(manager, wrapper);
            PluginState state = wrapper.getPluginState();
            if (state == PluginState.DISABLED) {
                PluginRecord<D> record = record(unit);
                record.state = PluginRecord.DISABLED;
                LOG.warn("Plugin '{}' ({}) is disabled (disabled.txt, or its Plugin-Requires '{}' does not accept {})",
                        id, unit.source(), wrapper.getDescriptor().getRequires(), systemVersion);
            } else if (state == PluginState.FAILED) {
                Throwable cause = wrapper.getFailedException();
                fail(record(unit), cause == null ? new IllegalStateException("Plugin '" + id + "' ("
                        + unit.source() + ") could not be loaded.") : cause);
            } else if (manager.unresolvedPlugins().contains(wrapper) && missingDependency(unit) == null) {
                fail(record(unit), new IllegalStateException("Plugin '" + id + "' (" + unit.source()
                        + ") has dependencies PF4J could not resolve (wrong version?)."));
            } else {
                wire(unit);
            }
        }
    }

    /** Starts the lifecycles of every wired plugin, in dependency order. */
    public synchronized void startAll() {
        for (PluginRecord<D> record : List.copyOf(records.values())) {
            if (!PluginRecord.WIRED.equals(record.state)) {
                continue;
            }
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
    }

    /** How long one lifecycle's {@code start()} may take before the plugin is failed ({@link LifecycleStarter}). */
    public void startTimeout(java.time.Duration timeout) {
        starter = new LifecycleStarter(timeout);
    }

    private void startLifecycle(PluginRecord<D> record, Lifecycle lifecycle) throws Exception {
        starter.start(record.id(), lifecycle);
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

    /**
     * Stops a plugin: first the running plugins that depend on it (directly or not, last wired first), then
     * itself. Each ends {@code disabled}. Answers the ids stopped, in the order they stopped.
     */
    public synchronized List<String> stop(String id) {
        PluginRecord<D> target = records.get(id);
        if (target == null) {
            throw new IllegalArgumentException("There is no plugin '" + id + "'.");
        }
        Set<String> toStop = new HashSet<>();
        toStop.add(id);
        List<PluginRecord<D>> ordered = plugins();
        // Wiring order is dependency order: one forward pass collects every dependent.
        for (PluginRecord<D> record : ordered) {
            if (record.unit.dependencies().stream().map(PluginRuntime::dependencyId).anyMatch(toStop::contains)) {
                toStop.add(record.id());
            }
        }
        List<String> stopped = new ArrayList<>();
        for (int i = ordered.size() - 1; i >= 0; i--) {
            PluginRecord<D> record = ordered.get(i);
            if (toStop.contains(record.id()) && record.isRunning()) {
                teardown(record);
                record.state = PluginRecord.DISABLED;
                stopped.add(record.id());
                LOG.info("Plugin '{}' stopped", record.id());
            }
        }
        return stopped;
    }

    /**
     * Stops a plugin and wires and starts it again from the same unit. (Stand-in until the runtime's
     * disable/enable land: dependents stopped with it stay disabled.)
     */
    public synchronized List<String> restart(String id) {
        PluginRecord<D> old = records.get(id);
        if (old == null) {
            throw new IllegalArgumentException("There is no plugin '" + id + "'.");
        }
        stop(id);
        records.remove(id);
        if (!wire(old.unit)) {
            return List.of();
        }
        PluginRecord<D> record = records.get(id);
        try {
            for (Lifecycle lifecycle : record.lifecycles) {
                startLifecycle(record, lifecycle);
                record.startedLifecycles.add(lifecycle);
            }
            record.state = PluginRecord.STARTED;
            LOG.info("Plugin '{}' {} started again", record.id(), record.version());
            return List.of(id);
        } catch (Exception | LinkageError e) {
            fail(record, e);
            return List.of();
        }
    }

    @Override
    public synchronized void close() {
        List<PluginRecord<D>> ordered = plugins();
        for (int i = ordered.size() - 1; i >= 0; i--) {
            teardown(ordered.get(i));
        }
        for (ClassTopPluginManager manager : managers) {
            manager.stopAndUnload();
        }
        managers.clear();
    }

    private boolean wire(PluginUnit unit) {
        if (records.containsKey(unit.id())) {
            String sentence = "Plugin '" + unit.id() + "' (" + unit.source() + ") is skipped: a plugin with that id ("
                    + records.get(unit.id()).source() + ") is already installed.";
            LOG.error(sentence);
            return false;
        }
        PluginRecord<D> record = record(unit);
        try {
            if (!PLUGIN_ID.matcher(unit.id()).matches()) {
                throw new IllegalStateException("Plugin '" + unit.id() + "' has an id that breaks the rule: 2 to 64"
                        + " lower-case letters, digits and dashes, starting with a letter.");
            }
            String unmet = unmetDependency(unit);
            if (unmet != null) {
                throw new IllegalStateException(unmet);
            }
            D declared = side.declare(unit);
            if (declared == null) {
                record.state = PluginRecord.WIRED;
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
        PluginRecord<D> record = new PluginRecord<>(unit);
        records.put(unit.id(), record);
        return record;
    }

    private void fail(PluginRecord<D> record, Throwable e) {
        String sentence = PluginFailure.sentence(record.id(), e);
        if (e instanceof IllegalStateException && e.getCause() == null && sentence.equals(e.getMessage())) {
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

        JarUnit(ClassTopPluginManager manager, PluginWrapper wrapper) {
            super(wrapper.getPluginId(), wrapper.getDescriptor().getVersion(), wrapper.getDescriptor().getPluginDescription(),
                    wrapper.getPluginPath().getFileName().toString(),
                    wrapper.getDescriptor().getDependencies().stream()
                            .map(d -> d.getPluginId() + (d.isOptional() ? "?" : "")).toList());
            this.manager = manager;
            this.wrapper = wrapper;
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
