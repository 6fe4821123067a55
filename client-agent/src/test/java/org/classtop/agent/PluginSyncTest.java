package org.classtop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconcile against fake plugin operations and a fake download: what runs, what is reported, what is kept. */
class PluginSyncTest {
    @TempDir
    Path tempDir;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final Map<String, ReconcilePlan.Local> local = new LinkedHashMap<>();
    private final List<String> operations = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Map<String, Object>> sent = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> served = new LinkedHashMap<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private int registers;
    /** Runs at the start of each fake download (a newer announce may arrive then). */
    private volatile java.util.function.Consumer<AnnouncedPlugins.Announced> during = plugin -> { };
    /** Thrown by the next fake downloads, in turn. */
    private final java.util.Queue<IOException> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
        timer.shutdownNow();
    }

    private final AgentPluginOps ops = new AgentPluginOps() {
        @Override
        public synchronized Map<String, ReconcilePlan.Local> local() {
            return Map.copyOf(local);
        }

        @Override
        public synchronized Outcome loadJar(Path jar) {
            JarManifests.Plugin plugin = JarManifests.read(jar);
            operations.add("load " + plugin.id());
            local.put(plugin.id(), new ReconcilePlan.Local(plugin.id(), "1.0.0", sha(jar), "started", null, false, null));
            commands.add(plugin.id() + "_ping");
            return new Outcome("started", null);
        }

        @Override
        public synchronized Outcome replace(String id, Path jar) {
            operations.add("replace " + id);
            local.put(id, new ReconcilePlan.Local(id, "1.0.0", sha(jar), "started", null, false, null));
            return new Outcome("started", null);
        }

        @Override
        public synchronized Outcome disable(String id) {
            operations.add("disable " + id);
            ReconcilePlan.Local was = local.get(id);
            local.put(id, new ReconcilePlan.Local(id, was.version(), was.sha256(), "disabled", null, false, null));
            commands.remove(id + "_ping");
            return new Outcome("disabled", null);
        }

        @Override
        public synchronized Outcome enable(String id) {
            operations.add("enable " + id);
            ReconcilePlan.Local was = local.get(id);
            local.put(id, new ReconcilePlan.Local(id, was.version(), was.sha256(), "started", null, false, null));
            commands.add(id + "_ping");
            return new Outcome("started", null);
        }
    };

    private PluginSync sync(String platform) {
        PluginCache cache = new PluginCache(tempDir.resolve("data"));
        return new PluginSync(ops, cache, new FakeDownloads(cache), platform, executor,
                (event, data) -> events.add(event + " " + data), sent::add, () -> List.copyOf(commands), () -> registers++);
    }

    /** Serves {@link #served} as the server would, through the real hash check. */
    private final class FakeDownloads implements PluginSync.Downloads {
        private final PluginCache cache;

        FakeDownloads(PluginCache cache) {
            this.cache = cache;
        }

        @Override
        public PluginDownloader.Result download(AnnouncedPlugins.Announced plugin, String token,
                                                java.util.function.BooleanSupplier superseded) throws IOException {
            operations.add("download " + plugin.id());
            during.accept(plugin);
            IOException failure = failures.poll();
            if (failure != null) {
                throw failure;
            }
            byte[] bytes = served.get(plugin.id());
            if (bytes == null) {
                throw new PluginDownloader.Refused("Downloading plugin '" + plugin.id() + "' failed: the server answered HTTP 404.", 404);
            }
            String actual = HexFormat.of().formatHex(PluginCache.newDigest().digest(bytes));
            if (!actual.equals(plugin.sha256())) {
                return new PluginDownloader.Mismatch(actual);
            }
            Files.createDirectories(cache.folder());
            return new PluginDownloader.Verified(Files.write(cache.jar(plugin.id(), plugin.sha256()), bytes));
        }
    }

    private byte[] jar(String id, String... dependencies) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Plugin-Id", id);
        manifest.getMainAttributes().putValue("Plugin-Version", "1.0.0");
        if (dependencies.length > 0) {
            manifest.getMainAttributes().putValue("Plugin-Dependencies", String.join(", ", dependencies));
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            out.flush();
        }
        return bytes.toByteArray();
    }

    private static String sha(byte[] bytes) {
        return HexFormat.of().formatHex(PluginCache.newDigest().digest(bytes));
    }

    private static String sha(Path file) {
        try {
            return PluginCache.sha256(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private AnnouncedPlugins announce(Set<String> off, String... ids) {
        List<AnnouncedPlugins.Announced> plugins = new ArrayList<>();
        for (String id : ids) {
            plugins.add(new AnnouncedPlugins.Announced(id, "1.0.0", sha(served.get(id)), List.of()));
        }
        return new AnnouncedPlugins(plugins, off, "ctd_t");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> lastState() {
        Map<String, Object> frame = sent.get(sent.size() - 1);
        assertEquals("plugins_state", frame.get("type"));
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        for (Map<String, Object> entry : (List<Map<String, Object>>) frame.get("plugins")) {
            byId.put((String) entry.get("id"), entry);
        }
        return byId;
    }

    @Test
    void downloadsInDependencyOrderLoadsReportsAndRegistersAgainForTheNewCommands() throws Exception {
        served.put("base", jar("base"));
        served.put("addon", jar("addon", "base"));
        PluginSync sync = sync("linux-x86_64");
        assertTrue(sync.reconcile(announce(Set.of(), "addon", "base")));
        assertEquals(List.of("download addon", "download base", "load base", "load addon"), operations);
        assertEquals("started", lastState().get("addon").get("state"));
        assertEquals(sha(served.get("base")), lastState().get("base").get("sha256"));
        assertEquals(1, registers);

        operations.clear();
        assertTrue(sync.reconcile(announce(Set.of(), "addon", "base")));
        assertEquals(List.of(), operations, "the same announce changes nothing");
        assertEquals(1, registers, "no new register when the commands did not change");
        Map<String, Object> persisted = Json.readObject(Files.readString(tempDir.resolve("data/plugin-cache/announced.json")));
        assertEquals(2, ((List<?>) persisted.get("plugins")).size());
        assertFalse(Files.readString(tempDir.resolve("data/plugin-cache/announced.json")).contains("ctd_t"));
    }

    @Test
    void offDisablesAndTheNextAnnounceEnablesFromTheSameJarWithoutDownloading() throws Exception {
        served.put("settings", jar("settings"));
        PluginSync sync = sync("linux-x86_64");
        sync.reconcile(announce(Set.of(), "settings"));
        operations.clear();
        sync.reconcile(announce(Set.of("settings")));
        assertEquals(List.of("disable settings"), operations);
        assertEquals("disabled", lastState().get("settings").get("state"));
        assertEquals(List.of(), commands);
        sync.reconcile(announce(Set.of(), "settings"));
        assertEquals(List.of("disable settings", "enable settings"), operations);
        assertEquals(List.of("settings_ping"), commands);
        assertEquals(3, registers);
    }

    @Test
    void aJarWithAnotherHashIsRejectedReportedAndNeverLoaded() throws Exception {
        served.put("settings", jar("settings"));
        AnnouncedPlugins announced = announce(Set.of(), "settings");
        byte[] tampered = jar("settings", "something");
        String expected = sha(served.get("settings"));
        served.put("settings", tampered);
        PluginSync sync = sync("linux-x86_64");
        sync.reconcile(announced);
        assertEquals(List.of("download settings"), operations);
        assertEquals(List.of("agent.plugin_rejected {id=settings, expected_sha256=" + expected + ", actual_sha256="
                + sha(tampered) + ", reason=The download of plugin 'settings' 1.0.0 has the SHA-256 " + sha(tampered)
                + ", not the " + expected + " the server announced; it was deleted and is not loaded.}"), events);
        Map<String, Object> state = lastState().get("settings");
        assertEquals("rejected", state.get("state"));
        assertEquals(expected, state.get("sha256"));
        assertTrue(((String) state.get("error")).startsWith("The download of plugin 'settings' 1.0.0 has the SHA-256 "),
                (String) state.get("error"));
        try (var files = Files.list(tempDir.resolve("data/plugin-cache"))) {
            assertEquals(List.of("announced.json"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void anotherPlatformKeepsTheLocalPluginAndSaysSo() throws Exception {
        served.put("native", jar("native"));
        local.put("native", new ReconcilePlan.Local("native", "0.5.0", "c".repeat(64), "started", null, false, null));
        PluginSync sync = sync("linux-aarch64");
        sync.reconcile(new AnnouncedPlugins(List.of(new AnnouncedPlugins.Announced("native", "1.0.0", sha(served.get("native")),
                List.of("linux-x86_64", "windows-x86_64"))), Set.of(), "ctd_t"));
        assertEquals(List.of(), operations);
        Map<String, Object> state = lastState().get("native");
        assertEquals("platform_mismatch", state.get("state"));
        assertEquals("0.5.0", state.get("version"));
        assertEquals("Plugin 'native' 1.0.0 is built for linux-x86_64, windows-x86_64, not for linux-aarch64; "
                + "the agent keeps what it has.", state.get("error"));
    }

    @Test
    void aFailedDownloadIsAnEventAndAFailedStateWithItsSentence() throws Exception {
        PluginSync sync = sync("linux-x86_64");
        sync.reconcile(new AnnouncedPlugins(List.of(new AnnouncedPlugins.Announced("missing", "1.0.0", "d".repeat(64),
                List.of())), Set.of(), "ctd_t"));
        assertEquals("failed", lastState().get("missing").get("state"));
        assertEquals(List.of("agent.plugin_failed {id=missing, error=Downloading plugin 'missing' failed: the server answered HTTP 404.}"),
                events);
    }

    @Test
    void atStartTheCachedAnnouncedJarWinsOverALocalOneAndOffIdsAreNotLoaded() throws Exception {
        served.put("settings", jar("settings"));
        served.put("clock", jar("clock", "settings"));
        sync("linux-x86_64").reconcile(announce(Set.of("old-thing"), "settings"));
        Path plugins = Files.createDirectories(tempDir.resolve("plugins"));
        Files.write(plugins.resolve("settings-0.1.jar"), jar("settings"));
        Files.write(plugins.resolve("clock-1.0.jar"), served.get("clock"));
        Files.write(plugins.resolve("old-thing-1.0.jar"), jar("old-thing"));
        Files.write(plugins.resolve("notes.txt"), "not a jar".getBytes(StandardCharsets.UTF_8));

        List<String> jars = sync("linux-x86_64").startupJars(plugins).stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("settings-" + sha(served.get("settings")) + ".jar", "clock-1.0.jar"), jars);
    }

    private Path announcedJson() {
        return tempDir.resolve("data/plugin-cache/announced.json");
    }

    private List<String> cacheFiles() throws IOException {
        try (var files = Files.list(tempDir.resolve("data/plugin-cache"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aNewerAnnounceDuringADownloadWinsAndTheStaleOneIsNeverSaved() throws Exception {
        served.put("settings", jar("settings"));
        served.put("clock", jar("clock"));
        PluginSync sync = sync("linux-x86_64");
        AnnouncedPlugins stale = announce(Set.of(), "settings");
        AnnouncedPlugins newer = announce(Set.of(), "settings", "clock");
        List<Boolean> savedDuringNewer = new CopyOnWriteArrayList<>();
        during = plugin -> {
            if (operations.equals(List.of("download settings"))) {
                sync.announce(newer);
            } else {
                savedDuringNewer.add(Files.exists(announcedJson()));
            }
        };
        sync.announce(stale);
        Poll.until(() -> Files.exists(announcedJson()), "announced.json");
        Poll.until(() -> operations.contains("load clock"), "the newer announce reconciled");
        assertEquals(List.of(false), savedDuringNewer, "the stale announce was never saved");
        assertEquals(newer.toJson(), Json.readObject(Files.readString(announcedJson())));
        assertEquals(List.of("download settings", "download clock", "load clock", "load settings"), operations,
                "the stale reconcile stopped after its download; the newer one took the verified jar from the cache");
        assertEquals(List.of(), events);
    }

    @Test
    void anAnnounceOfWhatRunsAtTheSameHashIsANoOpAlsoWhenItWaitsForARestart() throws Exception {
        served.put("settings", jar("settings"));
        served.put("native", jar("native"));
        String nativeSha = sha(served.get("native"));
        local.put("native", new ReconcilePlan.Local("native", "1.0.0", nativeSha, "restart_required",
                "Version 2.0.0 is installed and starts at the next restart.", false, "e".repeat(64)));
        PluginSync sync = sync("linux-x86_64");
        sync.reconcile(announce(Set.of(), "settings"));
        operations.clear();
        assertTrue(sync.reconcile(announce(Set.of(), "settings", "native")));
        assertEquals(List.of(), operations);
        assertEquals("restart_required", lastState().get("native").get("state"));
    }

    @Test
    void aFailedDownloadIsRetriedWithBackOffWhileConnectedAndNotAfterA404() throws Exception {
        served.put("settings", jar("settings"));
        PluginSync sync = sync("linux-x86_64").retrying(timer, () -> true, List.of(Duration.ofMillis(50), Duration.ofMillis(100)));
        failures.add(new IOException("Downloading plugin 'settings' failed: connection refused."));
        failures.add(new PluginDownloader.Refused("Downloading plugin 'settings' failed: the server answered HTTP 503.", 503));
        sync.announce(announce(Set.of(), "settings"));
        Poll.until(() -> operations.contains("load settings"), "the third attempt loads it");
        assertEquals(List.of("download settings", "download settings", "download settings", "load settings"), operations);
        assertEquals(2, events.size(), events.toString());
        Poll.until(() -> Files.exists(announcedJson()), "announced.json");

        Poll.until(() -> "started".equals(lastState().get("settings").get("state")), "the report");
        int reports = sent.size();
        operations.clear();
        events.clear();
        sync.announce(new AnnouncedPlugins(List.of(new AnnouncedPlugins.Announced("missing", "1.0.0", "d".repeat(64), List.of())),
                Set.of(), "ctd_t"));
        Poll.until(() -> events.size() == 1, "the 404");
        // A retry would come after 50 ms: a later announce's reconcile shows none happened meanwhile.
        timer.schedule(() -> sync.announce(announce(Set.of(), "settings")), 300, java.util.concurrent.TimeUnit.MILLISECONDS);
        Poll.until(() -> sent.size() >= reports + 2 && lastState().get("missing") == null, "the later announce");
        assertEquals(List.of("download missing"), operations);
    }

    @Test
    void aRefusedTokenOfAnOldSessionWhileANewerAnnounceWaitsIsQuiet() throws Exception {
        served.put("settings", jar("settings"));
        PluginSync sync = sync("linux-x86_64");
        AnnouncedPlugins newSession = new AnnouncedPlugins(announce(Set.of(), "settings").plugins(), Set.of(), "ctd_new");
        during = plugin -> {
            if (operations.size() == 1) {
                sync.announce(newSession);
                failures.add(new PluginDownloader.Refused("Downloading plugin 'settings' failed: the server answered HTTP 401.", 401));
            }
        };
        sync.announce(announce(Set.of(), "settings"));
        Poll.until(() -> !sent.isEmpty() && lastState().get("settings") != null
                && "started".equals(lastState().get("settings").get("state")), "the new session's reconcile");
        assertEquals(List.of("download settings", "download settings", "load settings"), operations);
        assertEquals(List.of(), events, "no agent.plugin_failed for the old session's token");
        assertEquals("started", lastState().get("settings").get("state"));
    }

    @Test
    void aJarWhoseManifestNamesAnotherIdIsRejectedAndDeletedAlsoAtStart() throws Exception {
        served.put("settings", jar("clock"));
        AnnouncedPlugins announced = announce(Set.of(), "settings");
        PluginSync sync = sync("linux-x86_64");
        sync.reconcile(announced);
        assertEquals(List.of("download settings"), operations);
        String sha = sha(served.get("settings"));
        String reason = "The jar of plugin 'settings' 1.0.0 declares the Plugin-Id 'clock' in its MANIFEST; "
                + "it was deleted and is not loaded.";
        assertEquals(List.of("agent.plugin_rejected {id=settings, expected_sha256=" + sha + ", actual_sha256=" + sha
                + ", reason=" + reason + "}"), events);
        assertEquals("rejected", lastState().get("settings").get("state"));
        assertEquals(reason, lastState().get("settings").get("error"));
        assertEquals(List.of("announced.json"), cacheFiles());

        // The same jar put into the cache by hand: the start does not load it either.
        Files.write(tempDir.resolve("data/plugin-cache").resolve(PluginCache.jarName("settings", sha)), served.get("settings"));
        assertEquals(List.of(), sync("linux-x86_64").startupJars(null));
        assertEquals(List.of("announced.json"), cacheFiles());
    }

    @Test
    void aCompleteReconcileDeletesCachedJarsAndPartsNothingUses() throws Exception {
        served.put("settings", jar("settings"));
        served.put("clock", jar("clock"));
        Path folder = Files.createDirectories(tempDir.resolve("data/plugin-cache"));
        String old = "0".repeat(64);
        Files.write(folder.resolve(PluginCache.jarName("settings", old)), new byte[3]);
        Files.write(folder.resolve(PluginCache.jarName("gone", old)), new byte[3]);
        Files.write(folder.resolve("gone-" + old + ".jar.part"), new byte[3]);
        Files.write(folder.resolve(PluginCache.jarName("clock", sha(served.get("clock")))), served.get("clock"));
        local.put("clock", new ReconcilePlan.Local("clock", "1.0.0", sha(served.get("clock")), "disabled", null, false, null));
        Files.writeString(folder.resolve("notes.txt"), "kept: not a jar");
        sync("linux-x86_64").reconcile(announce(Set.of("clock"), "settings"));
        assertEquals(List.of("announced.json", PluginCache.jarName("clock", sha(served.get("clock"))), "notes.txt",
                PluginCache.jarName("settings", sha(served.get("settings")))), cacheFiles());
    }
}
