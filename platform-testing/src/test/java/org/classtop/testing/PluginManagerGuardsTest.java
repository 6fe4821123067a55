package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.classtop.testing.pluginjars.HelloAgent;
import org.classtop.testing.pluginjars.HelloPlugin;
import org.classtop.testing.pluginjars.PluginJar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin manager's guards: built-in plugins stay, roles and tokens, bounded uploads. */
class PluginManagerGuardsTest {
    private static final String JAR = "application/java-archive";

    @TempDir
    Path work;

    private TestServer server;
    private ApiClient api;

    @BeforeEach
    void start() {
        server = TestServer.builder().serverConfig(c -> c.pluginMaxBytes(256 * 1024)).start();
        api = server.api();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static PluginJar hello(String version) {
        return new PluginJar("hello", version).extension(HelloPlugin.class).extension(HelloAgent.class)
                .resource("static/hello/panel.js", "customElements.define('classtop-hello-main', class extends HTMLElement {});")
                .resource("db/hello/common/V1__rows.sql", "CREATE TABLE hello_rows (note VARCHAR(20));\n");
    }

    private static void assertRefused(ApiResult result, int status, String code) {
        assertEquals(status, result.status(), result.toString());
        assertEquals(code, result.code(), result.toString());
        assertTrue(result.error().endsWith("."), "one sentence: " + result);
    }

    @Test
    void aBuiltInPluginCannotBeDisabledEnabledOrRemovedAndTheApiStaysUp() {
        String builtIn = "core";
        assertRefused(api.post("/api/plugins/" + builtIn + "/disable", null), 409, "BUILT_IN");
        assertRefused(api.post("/api/plugins/" + builtIn + "/enable", null), 409, "BUILT_IN");
        assertRefused(api.delete("/api/plugins/" + builtIn), 409, "BUILT_IN");
        assertEquals("Plugin '" + builtIn + "' is built into this server and cannot be disabled.",
                api.post("/api/plugins/" + builtIn + "/disable", null).error());
        ApiResult listed = api.get("/api/plugins");
        assertEquals(200, listed.status(), "the REST API still answers: " + listed);
        JsonNode core = null;
        for (JsonNode plugin : listed.data()) {
            core = builtIn.equals(plugin.path("id").asText()) ? plugin : core;
        }
        assertEquals("started", core.path("state").asText(), listed.toString());
    }

    @Test
    void anUploadHoldingAPluginPropertiesIsRefusedSoWhatIsCheckedIsWhatLoads() throws Exception {
        ApiResult refused = api.sendBytes("POST", "/api/plugins", JAR,
                hello("1.0.0").resource("plugin.properties", "plugin.id=other\nplugin.version=9.0.0\n").bytes(work));
        assertRefused(refused, 400, "PLUGIN_PROPERTIES");
        assertEquals(null, entryOf("hello"));
    }

    private JsonNode entryOf(String id) {
        for (JsonNode plugin : api.get("/api/plugins").data()) {
            if (id.equals(plugin.path("id").asText())) {
                return plugin;
            }
        }
        return null;
    }

    @Test
    void anUploadThatUnpacksTooLargeOrListsTooManyExtensionsIsRefused() throws Exception {
        String big = "0".repeat(300 * 1024);   // compresses to a few KiB; declared 300 KiB > 256 KiB
        ApiResult entryTooLarge = api.sendBytes("POST", "/api/plugins", JAR, hello("1.0.0").resource("big.txt", big).bytes(work));
        assertRefused(entryTooLarge, 400, "JAR_TOO_LARGE");
        assertTrue(entryTooLarge.error().startsWith("The jar's entry 'big.txt' unpacks to 307200 bytes"), entryTooLarge.error());

        PluginJar bomb = hello("1.0.0");
        String part = "0".repeat(250 * 1024);
        for (int i = 0; i < 5; i++) {
            bomb.resource("part-" + i + ".txt", part);
        }
        ApiResult tooMuch = api.sendBytes("POST", "/api/plugins", JAR, bomb.bytes(work));
        assertRefused(tooMuch, 400, "JAR_TOO_LARGE");
        assertEquals("The jar unpacks to more than 4 times --plugin-max-bytes (1048576 bytes).", tooMuch.error());

        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Plugin-Id", "hello");
        manifest.getMainAttributes().putValue("Plugin-Version", "1.0.0");
        try (java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(bytes, manifest)) {
            jar.putNextEntry(new java.util.jar.JarEntry("META-INF/extensions.idx"));
            jar.write(("org.example.Side\n").repeat(4000).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        ApiResult longIndex = api.sendBytes("POST", "/api/plugins", JAR, bytes.toByteArray());
        assertRefused(longIndex, 400, "EXTENSIONS_TOO_LARGE");
        assertEquals("The jar's META-INF/extensions.idx is larger than 64 KiB.", longIndex.error());
        assertEquals(null, entryOf("hello"), "nothing installed");
    }

    @Test
    void anUploadCutShortIsDeletedAtTheNextStart() throws Exception {
        Path folder = java.nio.file.Files.createDirectories(server.dataDir().resolve("plugin-jars"));
        Path leftover = java.nio.file.Files.writeString(folder.resolve(".upload-1234.part"), "half a jar");
        server.restart();
        api = server.api();
        assertFalse(java.nio.file.Files.exists(leftover), "the unfinished upload is gone");
    }

    @Test
    void aJarDeletedUnderARequestCountsAsAbsentNotAsAServerError() throws Exception {
        assertEquals(201, api.sendBytes("POST", "/api/plugins", JAR, hello("1.0.0").bytes(work)).status());
        assertEquals(200, api.get("/api/plugins/hello/agent-jar").status());
        // what a remove or an upgrade racing these requests does: the jar file goes before the record
        java.nio.file.Files.delete(server.dataDir().resolve("plugin-jars/hello-1.0.0.jar"));
        ApiResult listed = api.get("/api/plugins");
        assertEquals(200, listed.status(), listed.toString());
        assertTrue(entryOf("hello").path("agent_side").isNull(), entryOf("hello").toString());
        ApiResult download = api.get("/api/plugins/hello/agent-jar");
        assertRefused(download, 404, "NO_AGENT_SIDE");
    }

    @Test
    void anUnpackedPluginFolderIsBundledItsDisableLastsAndRemovingLeavesTheFolderOff() throws Exception {
        server.close();
        Path bundled = java.nio.file.Files.createDirectories(work.resolve("bundled"));
        Path classes = java.nio.file.Files.createDirectories(bundled.resolve("hello/classes"));
        try (java.util.zip.ZipInputStream jar = new java.util.zip.ZipInputStream(
                new java.io.ByteArrayInputStream(hello("1.0.0").bytes(work)))) {
            for (java.util.zip.ZipEntry entry; (entry = jar.getNextEntry()) != null; ) {
                if (!entry.isDirectory()) {
                    Path file = classes.resolve(entry.getName());
                    java.nio.file.Files.createDirectories(file.getParent());
                    java.nio.file.Files.write(file, jar.readAllBytes());
                }
            }
        }
        server = TestServer.builder().pluginsDir(bundled).start();
        api = server.api();
        JsonNode folder = entryOf("hello");
        assertEquals("started", folder.path("state").asText(), String.valueOf(folder));
        assertTrue(folder.path("bundled").asBoolean() && folder.path("removable").asBoolean(), folder.toString());

        assertEquals(200, api.post("/api/plugins/hello/disable", null).status());
        server.restart();
        api = server.api();
        assertEquals("disabled", entryOf("hello").path("state").asText(), "the disable lasts");
        assertEquals(200, api.post("/api/plugins/hello/enable", null).status());
        assertEquals("started", entryOf("hello").path("state").asText());

        assertEquals(200, api.delete("/api/plugins/hello").status());
        assertTrue(java.nio.file.Files.isDirectory(bundled.resolve("hello")), "the bundled folder stays");
        server.restart();
        api = server.api();
        assertEquals(null, entryOf("hello"), "a removed bundled folder stays off");
    }

    @Test
    void aRestartRequiredUpgradeKeepsAnnouncingAndServingTheJarThatStillRunsUntilItsRemovalIsPending() throws Exception {
        assertEquals(201, api.sendBytes("POST", "/api/plugins", JAR,
                hello("1.0.0").manifest("Plugin-Unloadable", "false").bytes(work)).status());
        String oldSha = sha256(java.nio.file.Files.readAllBytes(server.dataDir().resolve("plugin-jars/hello-1.0.0.jar")));
        ApiResult upgrade = api.sendBytes("POST", "/api/plugins", JAR, hello("2.0.0").manifest("Plugin-Unloadable", "false").bytes(work));
        assertEquals("restart_required", upgrade.data().path("state").asText(), upgrade.toString());
        try (FakeAgent agent = new FakeAgent("guard-agent-1")) {
            agent.register(server.wsUrl("guard-agent-1"), "pc", Map.of());
            JsonNode first = agent.await("plugins", java.time.Duration.ofSeconds(10));
            assertEquals(1, first.path("plugins").size(), "the running version is announced: " + first);
            assertEquals("1.0.0", first.path("plugins").get(0).path("version").asText());
            assertEquals(oldSha, first.path("plugins").get(0).path("sha256").asText());
            ApiResult download = api.get("/api/plugins/hello/agent-jar");
            assertEquals(200, download.status(), download.toString());
            assertEquals(oldSha, sha256(download.body()), "the jar that runs is served");

            assertEquals(200, api.delete("/api/plugins/hello").status());
            JsonNode off = agent.await(f -> "plugins".equals(f.path("type").asText()) && f.path("off").toString().contains("hello"),
                    java.time.Duration.ofSeconds(10), "a plugins frame with hello off");
            assertEquals(0, off.path("plugins").size(), off.toString());
            assertRefused(api.get("/api/plugins/hello/agent-jar"), 404, "NO_AGENT_SIDE");
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void requestsToADependentDuringItsProvidersUpgradeFinishOrGet503NeverA404Or500() throws Exception {
        assertEquals(201, api.sendBytes("POST", "/api/plugins", JAR, hello("1.0.0").bytes(work)).status());
        assertEquals(201, api.sendBytes("POST", "/api/plugins", JAR, new PluginJar("friend", "1.0.0")
                .extension(org.classtop.testing.pluginjars.FriendPlugin.class).manifest("Plugin-Dependencies", "hello")
                .bytes(work)).status());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        java.util.concurrent.atomic.AtomicBoolean upgrading = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.Set<Integer> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try {
            java.util.concurrent.Future<ApiResult> slow = pool.submit(() -> server.api().get("/api/friend/slow?ms=1500"));
            java.util.List<java.util.concurrent.Future<?>> hammers = new java.util.ArrayList<>();
            for (String path : java.util.List.of("/api/friend/ping", "/api/hello/version")) {
                hammers.add(pool.submit(() -> {
                    ApiClient client = server.api();
                    while (upgrading.get()) {
                        seen.add(client.get(path).status());
                    }
                    seen.add(client.get(path).status());
                    return null;
                }));
            }
            ApiResult upgraded = api.sendBytes("POST", "/api/plugins", JAR, hello("2.0.0").bytes(work));
            upgrading.set(false);
            assertEquals(200, upgraded.status(), upgraded.toString());
            ApiResult slowAnswer = slow.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(slowAnswer.status() == 200 || slowAnswer.status() == 503, slowAnswer.toString());
            for (java.util.concurrent.Future<?> hammer : hammers) {
                hammer.get(20, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            upgrading.set(false);
            pool.shutdownNow();
        }
        seen.removeAll(java.util.Set.of(200, 503));
        assertTrue(seen.isEmpty(), "only 200 or 503 during the upgrade, also saw " + seen);
        assertEquals(200, api.get("/api/friend/ping").status(), "the dependent answers again");
        assertEquals("2.0.0", api.get("/api/hello/version").data().path("version").asText());
    }

    @Test
    void whatAgentsRunIsPublishedAsPluginsChangedAtMostOnceASecondPerPlugin() throws Exception {
        java.util.List<Long> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.server().injector().getInstance(org.classtop.core.events.EventDispatcher.class).subscribe("plugins.*", e -> {
            if (e.name().equals("plugins.changed") && "hello".equals(e.data().get("id"))) {
                heard.add(System.nanoTime());
            }
        });
        java.time.Duration wait = java.time.Duration.ofSeconds(10);
        assertEquals(201, api.sendBytes("POST", "/api/plugins", JAR, hello("1.0.0").bytes(work)).status());
        // The upload's own event (events are delivered on their own thread, possibly after the answer) is not one of
        // the agents' view: only those are coalesced.
        Poll.until("the upload is published", wait, () -> heard.size() == 1);
        heard.clear();
        try (FakeAgent agent = new FakeAgent("guard-agent-2")) {
            agent.register(server.wsUrl("guard-agent-2"), "pc", Map.of());
            agent.await("plugins", wait);
            for (String state : java.util.List.of("started", "failed", "started")) {
                agent.sendJson(Map.of("type", "plugins_state", "plugins", java.util.List.of(Map.of("id", "hello",
                        "version", "1.0.0", "sha256", "abc", "state", state))));
                Poll.until("the server took the state " + state, wait,
                        () -> entryOf("hello").path("agents").toString().contains("\"" + state + "\""));
            }
            Poll.until("the agent's states are published (" + agent.history() + ")", wait, () -> heard.size() >= 2);
            assertEquals(1, entryOf("hello").path("agents").size());
        }
        Poll.until("the agent leaving is published", wait, () -> heard.size() >= 3);
        assertEquals(0, entryOf("hello").path("agents").size(), "the agent left");
        for (int i = 1; i < heard.size(); i++) {
            long gap = heard.get(i) - heard.get(i - 1);
            assertTrue(gap >= java.time.Duration.ofMillis(900).toNanos(), "at most one a second: " + gap / 1_000_000 + " ms");
        }
    }

    @Test
    void aViewerTokenMayNotUploadOrDownloadAndADownloadTokenOpensNothingButAgentJars() throws Exception {
        assertEquals(201, api.sendBytes("POST", "/api/plugins", JAR, hello("1.0.0").bytes(work)).status());
        ApiResult created = api.post("/api/tokens", Map.of("name", "Wall screen", "role", "viewer"));
        assertEquals(201, created.status(), created.toString());
        ApiClient viewer = ApiClient.withToken(server.baseUrl(), created.data().path("token").asText());
        assertEquals(403, viewer.get("/api/plugins/hello/agent-jar").status());
        assertEquals(403, viewer.sendBytes("POST", "/api/plugins", JAR, hello("2.0.0").bytes(work)).status());
        assertEquals(403, viewer.post("/api/plugins/hello/disable", null).status());
        assertEquals(200, viewer.get("/api/plugins").status(), "a viewer may look");

        try (FakeAgent agent = new FakeAgent("guard-agent-3")) {
            agent.register(server.wsUrl("guard-agent-3"), "pc", Map.of());
            String token = agent.await("plugins", java.time.Duration.ofSeconds(10)).path("download_token").asText();
            ApiClient download = api.anonymous().withHeader("Authorization", "Bearer " + token);
            assertEquals(200, download.get("/api/plugins/hello/agent-jar").status(), "what the token is for");
            assertEquals(401, download.get("/api/plugins").status());
            assertEquals(401, download.sendBytes("POST", "/api/plugins", JAR, hello("2.0.0").bytes(work)).status());
            assertEquals(401, download.post("/api/plugins/hello/disable", null).status());
            assertEquals(401, download.get("/api/clients").status());
            assertEquals("1.0.0", entryOf("hello").path("version").asText(), "nothing changed");
        }
    }

    @Test
    void twoUploadsOfTheSameIdAtOnceEndConsistent() throws Exception {
        assertEquals(201, api.sendBytes("POST", "/api/plugins", JAR, hello("1.0.0").bytes(work)).status());
        byte[] two = hello("2.0.0").bytes(work);
        byte[] three = hello("3.0.0").bytes(work);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<ApiResult> a = pool.submit(() -> server.api().sendBytes("POST", "/api/plugins", JAR, two));
            java.util.concurrent.Future<ApiResult> b = pool.submit(() -> server.api().sendBytes("POST", "/api/plugins", JAR, three));
            ApiResult first = a.get(30, java.util.concurrent.TimeUnit.SECONDS);
            ApiResult second = b.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, second.status(), "3.0.0 is higher than whatever ran: " + second);
            assertTrue(first.status() == 200 || first.status() == 409 && "VERSION_NOT_HIGHER".equals(first.code()), first.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals("3.0.0", entryOf("hello").path("version").asText());
        assertEquals("started", entryOf("hello").path("state").asText());
        assertEquals("3.0.0", api.get("/api/hello/version").data().path("version").asText());
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(server.dataDir().resolve("plugin-jars"))) {
            assertEquals(java.util.List.of("hello-3.0.0.jar"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                    "one jar, no leftover upload");
        }
    }

    @Test
    void aReplacedPluginsClassLoaderCanBeCollected() throws Exception {
        org.classtop.core.plugins.PluginHost host = server.server().injector().getInstance(org.classtop.core.plugins.PluginHost.class);
        assertEquals(201, api.sendBytes("POST", "/api/plugins", JAR, hello("1.0.0").bytes(work)).status());
        assertEquals(200, api.get("/api/hello/version").status());
        java.lang.ref.WeakReference<ClassLoader> v1 = new java.lang.ref.WeakReference<>(host.classLoader("hello").orElseThrow());
        assertEquals(200, api.sendBytes("POST", "/api/plugins", JAR, hello("2.0.0").bytes(work)).status());
        assertEquals(200, api.get("/api/hello/version").status());
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (v1.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.onSpinWait();
        }
        assertEquals(null, v1.get(), "the replaced version's class loader is collectable");
    }
}
