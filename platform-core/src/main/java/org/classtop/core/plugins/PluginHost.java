package org.classtop.core.plugins;

import com.google.inject.Injector;
import com.google.inject.Module;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.classtop.api.server.ApiException;
import org.classtop.pluginloader.PluginManifest;
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
    private final org.classtop.core.hub.PluginAnnouncer announcer;
    private final PluginTables tables;
    private final PluginStateFile state;
    /** Uploaded jars: {@code <data>/plugin-jars/<id>-<version>.jar}. */
    private final Path uploadedDir;
    /** What waits for a restart, by id: {"action":"upgrade","version":..} or {"action":"remove"}. */
    private final Map<String, Map<String, Object>> pending = new java.util.concurrent.ConcurrentHashMap<>();
    /** The agent jars' SHA-256: hashed in the background from start, kept in {@code <data>/cache}. */
    private final PluginDigests digests;
    private final org.classtop.core.AfterListening afterListening;
    private volatile boolean closed;
    /** plugins.changed when what agents run of a plugin changed: at most once a second per plugin. */
    private final CoalescingPublisher agentViews;

    @Inject
    public PluginHost(Injector injector, ServerConfig config, RouteRegistry routes, EventDispatcher events,
                      PanelRegistry panels, PlatformDatabase database, AgentStreamRouter streams,
                      org.classtop.core.commands.CommandBus commandBus, PluginScopedServices scoped,
                      org.classtop.core.hub.AgentAuthenticators agentAuthenticators,
                      org.classtop.core.hub.PluginAnnouncer announcer, PluginSettings settings,
                      org.classtop.core.AfterListening afterListening) {
        this.afterListening = afterListening;
        this.agentAuthenticators = agentAuthenticators;
        this.settings = settings;
        this.announcer = announcer;
        this.tables = new PluginTables(database);
        this.uploadedDir = config.dataDir().resolve("plugin-jars");
        this.state = new PluginStateFile(config.dataDir().resolve("plugin-state.json"));
        this.digests = new PluginDigests(config.dataDir().resolve("cache").resolve("plugin-digests.properties"));
        this.config = config;
        this.routes = routes;
        this.events = events;
        this.panels = panels;
        this.database = database;
        this.streams = streams;
        this.commandBus = commandBus;
        this.scoped = scoped;
        this.agentViews = new CoalescingPublisher(Duration.ofSeconds(1), this::publishChanged);
        announcer.onAgentsChanged(ids -> ids.forEach(agentViews::request));
        this.runtime = new PluginRuntime<>(new ServerSide(), injector);
        runtime.startTimeout(config.pluginStartTimeout());
    }

    /** Loads and wires every plugin of the plugin folder and the uploaded ones, in dependency order. */
    public void loadFolder() {
        loadInstalled(true);
    }

    /**
     * Loads the installed plugins: for each id the highest {@code Plugin-Version} among the bundled jars (the
     * plugin folder, when {@code bundled}) and the uploaded ones (an upload wins a tie); removed ids are left
     * out, disabled ids are listed {@code disabled}. PF4J's disabled.txt in the plugin folder still applies.
     */
    public synchronized void loadInstalled(boolean bundled) {
        runtime.pluginsRoot(config.pluginsDir(), Main.VERSION);
        deleteUnfinishedUploads();
        Map<String, Candidate> chosen = new java.util.TreeMap<>();
        if (bundled) {
            if (Files.isDirectory(config.pluginsDir())) {
                candidates(config.pluginsDir(), false).forEach(c -> choose(chosen, c));
            } else {
                LOG.warn("Plugin folder {} does not exist: no bundled plugins loaded", config.pluginsDir());
            }
        }
        candidates(uploadedDir, true).forEach(c -> choose(chosen, c));
        state.removed.forEach(chosen::remove);
        for (Candidate candidate : candidates(uploadedDir, true)) {
            Candidate winner = chosen.get(candidate.id());
            if (winner == null && state.removed.contains(candidate.id()) || winner != null && !winner.path().equals(candidate.path())) {
                deleteQuietly(candidate.path());   // an older upload, or the upload of a removed plugin
            }
        }
        runtime.loadJars(chosen.values().stream().map(Candidate::path).toList(), Set.copyOf(state.disabled));
    }

    /** The jars of the loaded plugins with an agent side (what agents may download). */
    private List<Path> agentJars() {
        List<Path> jars = new ArrayList<>();
        for (PluginRecord<ServerDeclarations> record : runtime.plugins()) {
            if (record.declarations() != null && record.declarations().hasAgentSide) {
                record.unit().jar().ifPresent(jars::add);
            }
        }
        return jars;
    }

    /** Uploads a crash or a restart cut short ({@code .upload-*.part}) are never finished: they go. */
    private void deleteUnfinishedUploads() {
        if (!Files.isDirectory(uploadedDir)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.list(uploadedDir)) {
            files.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith(".upload-") && name.endsWith(".part");
            }).forEach(PluginHost::deleteQuietly);
        } catch (java.io.IOException e) {
            LOG.warn("Cannot list {}: {}", uploadedDir, e.getMessage());
        }
    }

    private record Candidate(String id, String version, Path path, boolean uploaded) {
    }

    private static List<Candidate> candidates(Path folder, boolean uploaded) {
        List<Candidate> found = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return found;
        }
        try (java.util.stream.Stream<Path> paths = Files.list(folder)) {
            for (Path path : paths.sorted().toList()) {
                String name = path.getFileName().toString();
                boolean jar = Files.isRegularFile(path) && name.endsWith(".jar");
                if (!(jar || (!uploaded && Files.isDirectory(path) && !name.startsWith(".")))) {
                    continue;
                }
                PluginManifest manifest = PluginManifest.of(path);
                String id = manifest.value("Plugin-Id");
                String version = manifest.value("Plugin-Version");
                Path properties = path.resolve("plugin.properties");
                if (id == null && !jar && Files.isRegularFile(properties)) {
                    java.util.Properties descriptor = new java.util.Properties();
                    try (java.io.Reader in = Files.newBufferedReader(properties)) {
                        descriptor.load(in);
                    }
                    id = descriptor.getProperty("plugin.id");
                    version = descriptor.getProperty("plugin.version");
                }
                if (id == null) {
                    if (jar) {
                        LOG.warn("{} is skipped: its MANIFEST has no Plugin-Id", path);
                    }
                    continue;
                }
                found.add(new Candidate(id.strip(), version, path.toAbsolutePath(), uploaded));
            }
        } catch (java.io.IOException e) {
            LOG.error("Cannot list {}: {}", folder, e.getMessage());
        }
        return found;
    }

    private static void choose(Map<String, Candidate> chosen, Candidate candidate) {
        Candidate current = chosen.get(candidate.id());
        if (current == null) {
            chosen.put(candidate.id(), candidate);
            return;
        }
        int order = compareVersions(candidate.version(), current.version());
        if (order > 0 || (order == 0 && candidate.uploaded())) {
            chosen.put(candidate.id(), candidate);
        }
    }

    static int compareVersions(String a, String b) {
        try {
            return VERSIONS.compareVersions(a == null ? "0.0.0" : a, b == null ? "0.0.0" : b);
        } catch (RuntimeException e) {
            return String.valueOf(a).compareTo(String.valueOf(b));
        }
    }

    private static final org.pf4j.DefaultVersionManager VERSIONS = new org.pf4j.DefaultVersionManager();

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

    /**
     * Starts every wired plugin's lifecycle services, in dependency order; agents are told the set once the agent
     * jars' digests are known: hashed in the background once the server listens (a large jar takes a fifth of a
     * start on one core), read from the cache when the jars did not change.
     */
    public void startLifecycles() {
        runtime.startAll();
        afterListening.run(() -> {
            List<Path> jars = agentJars();
            digests.prefetch(jars);
            digests.ready(jars).whenComplete((done, failure) -> {
                try {
                    if (!closed) {
                        announce();
                    }
                } catch (RuntimeException e) {
                    LOG.error("Telling agents the plugin set failed: {}", e.toString(), e);
                }
            });
        });
    }

    // ---- SPEC section 7: changes while running -----------------------------------------------------

    /** The answer to an upload: the plugin's entry, and whether it is new (201) or an upgrade (200). */
    public record Installed(boolean created, Map<String, Object> entry) {
    }

    /**
     * Installs or upgrades from a jar an admin uploaded ({@code upload}, a temporary file this call moves or
     * deletes). Everything is checked before anything changes; each refusal is an {@link ApiException}.
     */
    public synchronized Installed install(Path upload) {
        try {
            PluginJarCheck.Checked jar = PluginJarCheck.check(upload, config.pluginMaxBytes());
            String id = jar.id();
            if (!org.classtop.pluginloader.ClassTopPluginManager.requiresMet(Main.VERSION, jar.requires())) {
                throw new ApiException(409, "PLUGIN_REQUIRES", "Plugin '" + id + "' needs ClassTop " + jar.requires()
                        + "; this server is " + Main.VERSION + ".");
            }
            for (String dependency : jar.dependencies()) {
                if (dependency.endsWith("?")) {
                    continue;
                }
                PluginRecord<ServerDeclarations> provider = runtime.plugin(dependency).orElse(null);
                if (provider == null || state.removed.contains(dependency)) {
                    throw new ApiException(409, "MISSING_DEPENDENCY", "Plugin '" + id + "' needs plugin '" + dependency
                            + "', which is not installed.");
                }
                if (!provider.isRunning()) {
                    throw new ApiException(409, "MISSING_DEPENDENCY", "Plugin '" + id + "' needs plugin '" + dependency
                            + "', which is " + stateOf(provider) + ".");
                }
            }
            PluginRecord<ServerDeclarations> existing = runtime.plugin(id).orElse(null);
            if (existing != null && existing.unit().location().isEmpty()) {
                throw new ApiException(409, "BUILT_IN", "Plugin '" + id + "' is built into this server; it cannot be"
                        + " replaced by an upload.");
            }
            boolean upgrade = existing != null && !(PluginRecord.RESTART_REQUIRED.equals(existing.state())
                    && "remove".equals(pendingAction(id)));
            if (upgrade && compareVersions(jar.version(), installedVersion(existing)) <= 0) {
                throw new ApiException(409, "VERSION_NOT_HIGHER", "Plugin '" + id + "' " + installedVersion(existing)
                        + " is already installed; upload a higher Plugin-Version to upgrade.");
            }
            Files.createDirectories(uploadedDir);
            Path target = uploadedDir.resolve(id + "-" + jar.version() + ".jar");
            Files.move(upload, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            state.removed.remove(id);
            state.disabled.remove(id);
            state.save();
            PluginRecord<ServerDeclarations> record;
            if (existing == null) {
                record = runtime.loadJar(target);
            } else if (!existing.unit().unloadable()) {
                record = runtime.replace(id, target);
                pending.put(id, Map.of("action", "upgrade", "version", jar.version()));
            } else {
                Path old = existing.unit().jar().orElse(null);
                record = drained(id, () -> runtime.replace(id, target));
                pending.remove(id);
                if (old != null && !old.equals(target) && old.startsWith(uploadedDir)) {
                    deleteQuietly(old);
                }
            }
            LOG.info("[{}] {} {} by upload: {}", id, upgrade ? "upgraded to" : "installed", jar.version(),
                    record.state() + (record.error() == null ? "" : " (" + record.error() + ")"));
            changed(id);
            return new Installed(existing == null, entry(id));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Installing the uploaded plugin failed: " + e.getMessage(), e);
        } finally {
            deleteQuietly(upload);
        }
    }

    /** Disables a plugin (its dependents stop too); kept across restarts. */
    public synchronized Map<String, Object> disable(String id) {
        PluginRecord<ServerDeclarations> record = jarPlugin(id, "disabled");
        drained(id, () -> runtime.disable(id));
        if (record.unit().location().isPresent()) {
            state.disabled.add(id);
            state.save();
        }
        LOG.info("[{}] disabled", id);
        changed(id);
        return entry(id);
    }

    /** Enables a disabled plugin again (and the dependents it stopped); kept across restarts. */
    public synchronized Map<String, Object> enable(String id) {
        jarPlugin(id, "enabled");
        runtime.enable(id);
        state.disabled.remove(id);
        state.save();
        PluginRecord<ServerDeclarations> record = known(id);
        LOG.info("[{}] enabled: {}", id, stateOf(record) + (record.error() == null ? "" : " (" + record.error() + ")"));
        changed(id);
        return entry(id);
    }

    /**
     * Removes a plugin: unloads it and deletes its uploaded jar (a bundled jar stays, listed as removed);
     * with {@code purge} also drops its tables, Flyway history and data folder.
     */
    public synchronized Map<String, Object> remove(String id, boolean purge) {
        if (purge && runtime.plugin(id).isEmpty() && state.removed.contains(id)) {
            return removed(id, purge(id));   // removed before: the purge alone (again, after a failed one)
        }
        PluginRecord<ServerDeclarations> record = jarPlugin(id, "removed");
        List<String> dependents = new ArrayList<>();
        for (PluginRecord<ServerDeclarations> other : runtime.plugins()) {
            if (!other.id().equals(id) && other.dependencies().contains(id)
                    && !"remove".equals(pendingAction(other.id()))) {
                dependents.add("'" + other.id() + "'");
            }
        }
        if (!dependents.isEmpty()) {
            throw new ApiException(409, "PLUGIN_NEEDED", "Plugin '" + id + "' is needed by plugin" + (dependents.size() > 1 ? "s " : " ")
                    + String.join(", ", dependents) + ": remove " + (dependents.size() > 1 ? "them" : "it") + " first.");
        }
        Path jar = record.unit().location().orElse(null);
        drained(id, () -> runtime.unload(id));
        state.removed.add(id);
        state.disabled.remove(id);
        state.save();
        if (runtime.plugin(id).isPresent()) {
            pending.put(id, Map.of("action", "remove"));
        } else {
            pending.remove(id);
            if (jar != null && jar.startsWith(uploadedDir)) {
                deleteQuietly(jar);
            }
        }
        LOG.info("[{}] removed{}", id, jar != null && bundled(jar)
                ? " (its bundled " + (Files.isDirectory(jar) ? "folder" : "jar") + " stays in the plugin folder, not loaded)" : "");
        changed(id);
        return removed(id, purge ? purge(id) : null);
    }

    private PluginTables.Purge purge(String id) {
        PluginTables.Purge done = tables.purge(id, config.dataDir().resolve("plugins").resolve(id));
        settings.forget(id);
        return done;
    }

    /** The answer to a removal: {@code purge_note} says why a purge kept the tables. */
    private static Map<String, Object> removed(String id, PluginTables.Purge purge) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("removed", true);
        answer.put("purged", purge != null && purge.purged());
        if (purge != null && purge.note() != null) {
            answer.put("purge_note", purge.note());
        }
        return answer;
    }

    /**
     * The jar of a running plugin with an agent side, for agents to download (a restart_required upgrade still
     * runs, and serves, the old jar); empty otherwise, and for one that waits for a restart to be removed.
     */
    public Optional<AgentJar> agentJar(String id) {
        PluginRecord<ServerDeclarations> record = runtime.plugin(id).orElse(null);
        if (record == null || !record.isRunning() || "remove".equals(pendingAction(id)) || record.declarations() == null
                || !record.declarations().hasAgentSide || record.unit().jar().isEmpty()) {
            return Optional.empty();
        }
        Path jar = record.unit().jar().get();
        return Optional.ofNullable(sha256(jar)).map(sha256 -> new AgentJar(jar, sha256));
    }

    /** A jar or unpacked folder in the plugin folder (it stays there when removed: the id is listed removed). */
    private boolean bundled(Path location) {
        return location.toAbsolutePath().startsWith(config.pluginsDir().toAbsolutePath());
    }

    /** A jar agents download and the SHA-256 they check. */
    public record AgentJar(Path path, String sha256) {
    }

    /** One plugin's entry of {@code GET /api/plugins}. */
    public Map<String, Object> entry(String id) {
        return describe().stream().filter(view -> id.equals(view.get("id"))).findFirst()
                .orElseThrow(() -> ApiException.notFound("PLUGIN_NOT_FOUND", "There is no plugin '" + id + "'."));
    }

    private PluginRecord<ServerDeclarations> known(String id) {
        return runtime.plugin(id).orElseThrow(() -> ApiException.notFound("PLUGIN_NOT_FOUND", "There is no plugin '" + id + "'."));
    }

    /**
     * A plugin that may be changed: the platform's own (core) never; one handed over in-process (tests,
     * embedding) may be disabled and enabled again but not removed. Refusals are 409 BUILT_IN.
     */
    private PluginRecord<ServerDeclarations> jarPlugin(String id, String change) {
        PluginRecord<ServerDeclarations> record = known(id);
        if (record.unit().platformOwn() || record.unit().location().isEmpty() && "removed".equals(change)) {
            throw new ApiException(409, "BUILT_IN", "Plugin '" + id + "' is built into this server and cannot be "
                    + change + ".");
        }
        return record;
    }

    private String pendingAction(String id) {
        Map<String, Object> waiting = pending.get(id);
        return waiting == null ? null : (String) waiting.get("action");
    }

    private static String installedVersion(PluginRecord<ServerDeclarations> record) {
        return record.version();
    }

    /** started, disabled, failed or restart_required ({@code wired} shows as started). */
    private static String stateOf(PluginRecord<ServerDeclarations> record) {
        return PluginRecord.WIRED.equals(record.state()) ? PluginRecord.STARTED : record.state();
    }

    /** After every change: agents get the new set, browsers the event. */
    private void changed(String id) {
        announce();
        publishChanged(id);
    }

    /** The {@code plugins.changed} event browsers refresh on. */
    private void publishChanged(String id) {
        PluginRecord<ServerDeclarations> record = runtime.plugin(id).orElse(null);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", id);
        data.put("state", record == null ? "removed" : stateOf(record));
        data.put("version", record == null ? null : record.version());
        events.publish(new org.classtop.api.Event("plugins.changed", null, data, null));
    }

    /**
     * The {@code plugins} frame: started jar plugins with an agent side; {@code off}: the ids agents should not run.
     * Synchronized: the set made last, from the state after the latest change, is the one agents keep.
     */
    private synchronized void announce() {
        List<Map<String, Object>> announced = new ArrayList<>();
        List<String> off = new ArrayList<>();
        for (PluginRecord<ServerDeclarations> record : runtime.plugins()) {
            Optional<AgentJar> jar = agentJar(record.id());
            if (jar.isPresent()) {
                Map<String, Object> plugin = new LinkedHashMap<>();
                plugin.put("id", record.id());
                plugin.put("version", record.version());
                plugin.put("sha256", jar.get().sha256());
                plugin.put("platforms", record.unit().platforms());
                announced.add(plugin);
            } else if (record.unit().location().isPresent() && !record.isRunning()) {
                off.add(record.id());
            }
        }
        for (String removed : state.removed) {
            if (!off.contains(removed) && announced.stream().noneMatch(p -> removed.equals(p.get("id")))) {
                off.add(removed);
            }
        }
        announcer.announce(announced, off);
    }

    /** The jar's SHA-256, or null when the jar is gone (a remove or upgrade deleted it meanwhile) or unreadable. */
    private String sha256(Path jar) {
        return digests.of(jar);
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (java.io.IOException e) {
            LOG.warn("Cannot delete {}: {}", path, e.getMessage());
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
            view.put("state", stateOf(p));
            view.put("source", p.source());
            view.put("error", p.error());
            Optional<AgentJar> agentJar = declared != null && declared.hasAgentSide && p.unit().jar().isPresent()
                    ? Optional.ofNullable(sha256(p.unit().jar().get())).map(sha -> new AgentJar(p.unit().jar().get(), sha))
                    : Optional.empty();
            view.put("agent_side", agentJar.map(jar -> {
                Map<String, Object> side = new LinkedHashMap<>();
                side.put("version", p.version());
                side.put("sha256", jar.sha256());
                side.put("platforms", p.unit().platforms());
                return (Object) side;
            }).orElse(null));
            view.put("agents", announcer.agentsOf(p.id()));
            view.put("settings", settingsOf(p.id()));
            view.put("unloadable", p.unit().unloadable());
            view.put("removable", p.unit().location().isPresent());
            view.put("bundled", p.unit().location().map(this::bundled).orElse(false));
            view.put("pending", pending.get(p.id()));
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
        return runtime.plugin(id).map(PluginHost::stateOf).orElse(null);
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
    public synchronized List<String> restart(String id) {
        known(id);
        List<String> started = drained(id, () -> runtime.restart(id));
        PluginRecord<ServerDeclarations> record = known(id);
        LOG.info("[{}] restarted: {}", id, stateOf(record) + (record.error() == null ? "" : " (" + record.error() + ")"));
        return started;
    }

    /** Tells agents and browsers that a plugin changed (its settings, say). */
    public void settingsChanged(String id) {
        changed(id);
    }

    /**
     * Runs a change that stops {@code id}'s routes and those of its dependents after their requests in flight
     * finished (at most {@link RouteRegistry#DEFAULT_DRAIN}); new requests get 503 until the change is done (a
     * replaced plugin's routes included), then 404 for routes that are gone.
     */
    private <T> T drained(String id, java.util.function.Supplier<T> change) {
        List<String> affected = new ArrayList<>(runtime.dependents(id));   // they stop (or reload) with it
        affected.add(id);
        routes.drain(affected, RouteRegistry.DEFAULT_DRAIN);
        try {
            return change.get();
        } finally {
            affected.forEach(routes::resume);
        }
    }

    @Override
    public void close() {
        closed = true;
        digests.close();
        agentViews.close();
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
            declared.hasAgentSide = !agentSides.isEmpty();
            return declared;
        }

        @Override
        public void prepare(PluginUnit plugin, ServerDeclarations declared) {
            if (!plugin.platformOwn()) {
                tables.migrate(plugin.id(), plugin.classLoader());
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
