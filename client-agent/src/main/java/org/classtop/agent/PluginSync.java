package org.classtop.agent;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the agent follow the server's plugin set. Each {@code plugins} announce is reconciled on one
 * thread of its own, one at a time; an announce that arrives meanwhile replaces any waiting one and stops
 * the running reconcile between two steps, or its download (the latest wins; only a complete reconcile saves its
 * announce and clears the cache of what nothing uses). A download that failed on the network or with HTTP 5xx is
 * tried again while connected, with back-off. After each reconcile, and after each
 * registration, the agent sends {@code plugins_state}; when its commands changed it registers again so
 * the server sees its new capabilities.
 */
final class PluginSync {
    private static final Logger LOG = LoggerFactory.getLogger(PluginSync.class);
    static final String REJECTED = "rejected";
    static final String PLATFORM_MISMATCH = "platform_mismatch";
    static final String FAILED = "failed";
    static final String REJECTED_EVENT = "agent.plugin_rejected";
    static final String FAILED_EVENT = "agent.plugin_failed";

    /** The waits before retrying a failed download while connected; the last one repeats. */
    static final List<Duration> RETRY_DELAYS = List.of(Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10));

    /** Where announced jars come from: {@link PluginDownloader#download}; it gives up when {@code superseded} turns true. */
    interface Downloads {
        PluginDownloader.Result download(AnnouncedPlugins.Announced plugin, String token, BooleanSupplier superseded)
                throws IOException, InterruptedException;
    }

    /** What the last reconcile found for an id beyond its record: a refused download, another platform. */
    private record Note(String version, String sha256, String state, String error) {
    }

    private final AgentPluginOps ops;
    private final PluginCache cache;
    private final Downloads downloader;
    private final String platform;
    private final ExecutorService executor;
    private final BiConsumer<String, Map<String, Object>> events;
    private final Consumer<Map<String, Object>> sender;
    private final Supplier<List<String>> commands;
    private final Runnable capabilitiesChanged;
    private final AtomicReference<AnnouncedPlugins> waiting = new AtomicReference<>();
    private final Map<String, Note> notes = new ConcurrentHashMap<>();
    private ScheduledExecutorService retryTimer;
    private BooleanSupplier connected = () -> false;
    private List<Duration> retryDelays = RETRY_DELAYS;
    /** Retry state, guarded by {@code this}: the announce bumps the generation and resets the attempts. */
    private long generation;
    private int attempts;
    private ScheduledFuture<?> retry;
    /** Set by a reconcile whose download failed in a way a later attempt may fix (network, 5xx); sync thread only. */
    private boolean retryable;

    /**
     * @param events              emits an agent event ({@code agent.plugin_rejected}, {@code agent.plugin_failed})
     * @param sender              sends a frame on the registered connection, if any
     * @param commands            the command names the agent provides now
     * @param capabilitiesChanged sends {@code register} again
     */
    PluginSync(AgentPluginOps ops, PluginCache cache, Downloads downloader, String platform,
               ExecutorService executor, BiConsumer<String, Map<String, Object>> events, Consumer<Map<String, Object>> sender,
               Supplier<List<String>> commands, Runnable capabilitiesChanged) {
        this.ops = ops;
        this.cache = cache;
        this.downloader = downloader;
        this.platform = platform;
        this.executor = executor;
        this.events = events;
        this.sender = sender;
        this.commands = commands;
        this.capabilitiesChanged = capabilitiesChanged;
    }

    /**
     * The jars to load at start, in dependency order: the local folder's, except ids the persisted announce
     * switched off, with each announced plugin whose verified jar is in the cache in place of a local one.
     */
    List<Path> startupJars(Path pluginsFolder) {
        AnnouncedPlugins announced = cache.readAnnounced();
        Map<String, Path> chosen = new LinkedHashMap<>();
        if (pluginsFolder != null && Files.isDirectory(pluginsFolder)) {
            try (Stream<Path> files = Files.list(pluginsFolder)) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString();
                    if (!name.endsWith(".jar") && !Files.isDirectory(file)) {
                        continue;
                    }
                    JarManifests.Plugin plugin = JarManifests.read(file);
                    if (plugin == null) {
                        LOG.warn("{} is not a plugin (its MANIFEST has no Plugin-Id); it is skipped", file);
                    } else if (announced.off().contains(plugin.id())) {
                        LOG.info("[{}] Not loaded: the server switched it off ({})", plugin.id(), file.getFileName());
                    } else if (chosen.putIfAbsent(plugin.id(), file) != null) {
                        LOG.warn("[{}] {} is skipped: {} has the same id", plugin.id(), file.getFileName(), chosen.get(plugin.id()).getFileName());
                    }
                }
            } catch (IOException e) {
                LOG.error("The plugins folder {} could not be read; running without its plugins: {}", pluginsFolder, e.getMessage());
            }
        }
        for (AnnouncedPlugins.Announced plugin : announced.plugins()) {
            if (!plugin.runsOn(platform)) {
                notes.put(plugin.id(), mismatch(plugin));
                continue;
            }
            cache.verified(plugin.id(), plugin.sha256()).filter(jar -> declaresItsId(plugin, jar)).ifPresent(jar -> {
                Path local = chosen.put(plugin.id(), jar);
                if (local != null) {
                    LOG.info("[{}] The server's {} (cached) is loaded instead of {}", plugin.id(), plugin.version(), local.getFileName());
                }
            });
        }
        return JarManifests.dependencyOrder(chosen);
    }

    /**
     * Retries the last announce on {@code timer} after a download failed (network error, HTTP 5xx) while
     * {@code connected}, waiting {@code delays} in turn (the last repeats); a new announce starts again.
     */
    synchronized PluginSync retrying(ScheduledExecutorService timer, BooleanSupplier connected, List<Duration> delays) {
        this.retryTimer = timer;
        this.connected = connected;
        this.retryDelays = List.copyOf(delays);
        return this;
    }

    /** Takes an announce (on the I/O thread): it is reconciled soon, unless a newer one comes first. */
    void announce(AnnouncedPlugins announced) {
        synchronized (this) {
            generation++;
            attempts = 0;
            if (retry != null) {
                retry.cancel(false);
                retry = null;
            }
        }
        waiting.set(announced);
        submit(this::drain);
    }

    /** True while a newer announce waits: the running reconcile (and its download) gives way to it. */
    boolean newerWaiting() {
        return waiting.get() != null;
    }

    /** Sends {@code plugins_state} (after a registration), off the caller's thread. */
    void reportSoon() {
        submit(this::report);
    }

    private void submit(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException | LinkageError e) {
                    LOG.error("Following the server's plugins failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("The agent is stopping: the plugin announce is not reconciled");
        }
    }

    private void drain() {
        AnnouncedPlugins announced = waiting.getAndSet(null);
        long drained;
        synchronized (this) {
            drained = generation;
        }
        if (announced != null) {
            reconcile(announced);
            if (retryable) {
                scheduleRetry(announced, drained);
            }
        }
    }

    private synchronized void scheduleRetry(AnnouncedPlugins announced, long drained) {
        if (retryTimer == null || drained != generation || waiting.get() != null) {
            return;
        }
        Duration delay = retryDelays.get(Math.min(attempts, retryDelays.size() - 1));
        attempts++;
        LOG.info("Downloading the server's plugins failed; trying again in {} s", delay.toSeconds());
        try {
            retry = retryTimer.schedule(() -> retryNow(announced, drained), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("The agent is stopping: no retry of the plugin downloads");
        }
    }

    private void retryNow(AnnouncedPlugins announced, long scheduled) {
        synchronized (this) {
            retry = null;
            if (scheduled != generation) {
                return;
            }
        }
        if (!connected.getAsBoolean()) {
            LOG.debug("Not connected: the plugin downloads are tried again with the next connection's announce");
            return;
        }
        if (waiting.compareAndSet(null, announced)) {
            submit(this::drain);
        }
    }

    /** One reconcile; answers false when a newer announce stopped it. Package-private for tests. */
    boolean reconcile(AnnouncedPlugins announced) {
        List<String> commandsBefore = commands.get();
        Map<String, ReconcilePlan.Local> local = ops.local();
        List<ReconcilePlan.Step> steps = ReconcilePlan.of(announced, local, platform);
        notes.keySet().removeIf(id -> announced.find(id) == null);
        Map<String, Path> toLoad = new TreeMap<>();
        retryable = false;
        boolean complete = true;
        for (ReconcilePlan.Step step : steps) {
            if (waiting.get() != null) {
                complete = false;
                break;
            }
            AnnouncedPlugins.Announced plugin = step.announced();
            switch (step.action()) {
                case DISABLE -> {
                    LOG.info("[{}] The server switched it off: stopping it (its jar is kept)", step.id());
                    note(step.id(), ops.disable(step.id()));
                }
                case ENABLE -> {
                    notes.remove(step.id());
                    LOG.info("[{}] The server runs {} again: starting it", step.id(), plugin.version());
                    note(step.id(), ops.enable(step.id()));
                }
                case PLATFORM_MISMATCH -> {
                    if (!notes.containsKey(step.id()) || !PLATFORM_MISMATCH.equals(notes.get(step.id()).state())) {
                        LOG.warn("[{}] {}", step.id(), mismatch(plugin).error());
                    }
                    notes.put(step.id(), mismatch(plugin));
                }
                case LOAD, REPLACE -> {
                    notes.remove(step.id());
                    Path jar = obtain(plugin, announced.downloadToken());
                    if (jar != null) {
                        toLoad.put(step.id(), jar);
                    } else if (newerWaiting()) {
                        complete = false;
                    }
                }
                case KEEP, IN_PROCESS -> notes.remove(step.id());
            }
        }
        for (Path jar : JarManifests.dependencyOrder(toLoad)) {
            if (waiting.get() != null) {
                complete = false;
                break;
            }
            String id = toLoad.entrySet().stream().filter(e -> e.getValue().equals(jar)).findFirst().orElseThrow().getKey();
            AnnouncedPlugins.Announced plugin = announced.find(id);
            boolean here = ops.local().containsKey(id);
            LOG.info("[{}] {} {} from the server", id, here ? "Replacing it with" : "Loading", plugin.version());
            AgentPluginOps.Outcome outcome = here ? ops.replace(id, jar) : ops.loadJar(jar);
            note(id, outcome);
            if ("started".equals(outcome.state()) || "wired".equals(outcome.state())) {
                cache.prune(id, plugin.sha256());
            }
        }
        if (newerWaiting()) {
            // Only the newest announce is kept: a stale one never reaches announced.json.
            complete = false;
        }
        if (complete) {
            keepOnlyWhatIsUsed(announced);
            try {
                cache.writeAnnounced(announced);
            } catch (ClosedByInterruptException e) {
                // The agent is stopping (its stop interrupts a running reconcile); the file is replaced whole or not at all.
                Thread.currentThread().interrupt();
                LOG.info("Stopping: the server's plugin list was not saved to {}; the next start uses the previous one",
                        cache.folder().resolve(PluginCache.ANNOUNCED));
            } catch (IOException | RuntimeException e) {
                LOG.error("The server's plugin list could not be saved to {}: {}; the next start uses the previous one",
                        cache.folder().resolve(PluginCache.ANNOUNCED), e.getMessage() != null ? e.getMessage() : e.toString());
            }
        }
        report();
        if (!commands.get().equals(commandsBefore)) {
            capabilitiesChanged.run();
        }
        return complete;
    }

    /**
     * Deletes the cached jars and partial downloads that neither the announce names nor a loaded plugin runs or
     * waits to run after a restart.
     */
    private void keepOnlyWhatIsUsed(AnnouncedPlugins announced) {
        Set<String> keep = new HashSet<>();
        for (AnnouncedPlugins.Announced plugin : announced.plugins()) {
            keep.add(PluginCache.jarName(plugin.id(), plugin.sha256()));
        }
        for (ReconcilePlan.Local plugin : ops.local().values()) {
            if (plugin.sha256() != null) {
                keep.add(PluginCache.jarName(plugin.id(), plugin.sha256()));
            }
            if (plugin.pendingSha256() != null) {
                keep.add(PluginCache.jarName(plugin.id(), plugin.pendingSha256()));
            }
        }
        List<String> deleted = cache.keepOnly(keep);
        if (!deleted.isEmpty()) {
            LOG.info("Deleted from the plugin cache what nothing uses any more: {}", deleted);
        }
    }

    /** The verified jar from the cache or the server; null (with a note and an event) when there is none. */
    private Path obtain(AnnouncedPlugins.Announced plugin, String token) {
        Path cached = cache.verified(plugin.id(), plugin.sha256()).orElse(null);
        if (cached != null) {
            return declaresItsId(plugin, cached) ? cached : null;
        }
        try {
            PluginDownloader.Result result = downloader.download(plugin, token, this::newerWaiting);
            if (result instanceof PluginDownloader.Verified verified) {
                if (!declaresItsId(plugin, verified.jar())) {
                    return null;
                }
                LOG.info("[{}] Downloaded {} (SHA-256 {})", plugin.id(), plugin.version(), plugin.sha256());
                return verified.jar();
            }
            String actual = ((PluginDownloader.Mismatch) result).actualSha256();
            String sentence = "The download of plugin '" + plugin.id() + "' " + plugin.version() + " has the SHA-256 " + actual
                    + ", not the " + plugin.sha256() + " the server announced; it was deleted and is not loaded.";
            reject(plugin, actual, sentence);
        } catch (IOException e) {
            if (e instanceof PluginDownloader.Superseded || newerWaiting()) {
                // A newer announce (perhaps of a newer session, whose token replaced this one) takes over.
                LOG.info("[{}] The download stopped in favour of the server's newer plugin list ({})", plugin.id(), e.getMessage());
                return null;
            }
            LOG.error("[{}] {}", plugin.id(), e.getMessage());
            failed(plugin.id(), plugin.version(), plugin.sha256(), e.getMessage());
            boolean refused = e instanceof PluginDownloader.Refused r && r.status() < 500;
            retryable |= !refused && !(e instanceof PluginDownloader.TooLarge);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(plugin.id(), plugin.version(), plugin.sha256(), "The download of plugin '" + plugin.id() + "' was interrupted.");
        }
        return null;
    }

    /** Whether the verified jar's MANIFEST names the announced id; otherwise it is rejected and deleted. */
    private boolean declaresItsId(AnnouncedPlugins.Announced plugin, Path jar) {
        String sentence = wrongId(plugin, jar);
        if (sentence == null) {
            return true;
        }
        deleteQuietly(jar);
        reject(plugin, plugin.sha256(), sentence);
        return false;
    }

    /** The sentence saying the jar's {@code Plugin-Id} is not the announced id, or null when it is. */
    private static String wrongId(AnnouncedPlugins.Announced plugin, Path jar) {
        JarManifests.Plugin declared = JarManifests.read(jar);
        if (declared != null && declared.id().equals(plugin.id())) {
            return null;
        }
        return "The jar of plugin '" + plugin.id() + "' " + plugin.version() + " declares "
                + (declared == null ? "no Plugin-Id" : "the Plugin-Id '" + declared.id() + "'")
                + " in its MANIFEST; it was deleted and is not loaded.";
    }

    private void reject(AnnouncedPlugins.Announced plugin, String actualSha256, String sentence) {
        LOG.error("[{}] {}", plugin.id(), sentence);
        notes.put(plugin.id(), new Note(plugin.version(), plugin.sha256(), REJECTED, sentence));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", plugin.id());
        data.put("expected_sha256", plugin.sha256());
        data.put("actual_sha256", actualSha256);
        data.put("reason", sentence);
        events.accept(REJECTED_EVENT, data);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("{} could not be deleted: {}", file, e.getMessage());
        }
    }

    private void note(String id, AgentPluginOps.Outcome outcome) {
        if (FAILED.equals(outcome.state())) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("id", id);
            data.put("error", outcome.error());
            events.accept(FAILED_EVENT, data);
        }
    }

    private void failed(String id, String version, String sha256, String sentence) {
        notes.put(id, new Note(version, sha256, FAILED, sentence));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", id);
        data.put("error", sentence);
        events.accept(FAILED_EVENT, data);
    }

    private Note mismatch(AnnouncedPlugins.Announced plugin) {
        return new Note(plugin.version(), plugin.sha256(), PLATFORM_MISMATCH, "Plugin '" + plugin.id() + "' " + plugin.version()
                + " is built for " + String.join(", ", plugin.platforms()) + ", not for " + platform
                + "; the agent keeps what it has.");
    }

    /** The {@code plugins_state} entries: every plugin the agent knows, and what the last reconcile refused. */
    List<Map<String, Object>> state() {
        Map<String, Map<String, Object>> entries = new TreeMap<>();
        for (ReconcilePlan.Local plugin : ops.local().values()) {
            entries.put(plugin.id(), entry(plugin.id(), plugin.version(), plugin.sha256(), plugin.state(), null));
        }
        Map<String, ReconcilePlan.Local> local = ops.local();
        notes.forEach((id, note) -> {
            ReconcilePlan.Local here = local.get(id);
            if (PLATFORM_MISMATCH.equals(note.state()) && here != null) {
                entries.put(id, entry(id, here.version(), here.sha256(), note.state(), note.error()));
            } else {
                entries.put(id, entry(id, note.version(), note.sha256(), note.state(), note.error()));
            }
        });
        local.forEach((id, plugin) -> {
            if (plugin.error() != null && entries.get(id).get("error") == null) {
                entries.get(id).put("error", plugin.error());
            }
        });
        return List.copyOf(entries.values());
    }

    private static Map<String, Object> entry(String id, String version, String sha256, String state, String error) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", id);
        entry.put("version", version);
        entry.put("sha256", sha256);
        entry.put("state", state);
        if (error != null) {
            entry.put("error", error);
        }
        return entry;
    }

    private void report() {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "plugins_state");
        frame.put("plugins", state());
        sender.accept(frame);
    }
}
