package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.classtop.core.Main;
import org.classtop.testing.pluginjars.FriendPlugin;
import org.classtop.testing.pluginjars.HelloAgent;
import org.classtop.testing.pluginjars.HelloPlugin;
import org.classtop.testing.pluginjars.PluginJar;
import org.classtop.testing.pluginjars.ThrowingPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC section 7 through the API of a real server, with real plugin jars: install, upgrade (the route's
 * answer changes, the new migration runs), disable, enable, remove, purge, state across a restart, every
 * refusal with its status and sentence (nothing installed changes), and the agents' side of it.
 */
class PluginManagerTest {
    private static final String JAR = "application/java-archive";
    private static final Duration WAIT = Duration.ofSeconds(10);

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
        PluginJar jar = new PluginJar("hello", version).extension(HelloPlugin.class).extension(HelloAgent.class)
                .resource("static/hello/panel.js", "customElements.define('classtop-hello-main', class extends HTMLElement {});")
                .resource("db/hello/common/V1__rows.sql", "CREATE TABLE hello_rows (note VARCHAR(20));\n"
                        + "INSERT INTO hello_rows (note) VALUES ('v1');\n");
        if (!version.startsWith("1.")) {
            jar.resource("db/hello/common/V2__more_rows.sql", "INSERT INTO hello_rows (note) VALUES ('v2');\n");
        }
        return jar;
    }

    private ApiResult upload(PluginJar jar) throws Exception {
        return api.sendBytes("POST", "/api/plugins", JAR, jar.bytes(work));
    }

    private JsonNode entry(String id) {
        for (JsonNode plugin : api.get("/api/plugins").data()) {
            if (id.equals(plugin.path("id").asText())) {
                return plugin;
            }
        }
        return null;
    }

    /** What is installed, as "id version state", for "nothing changed" checks. */
    private List<String> installed() {
        List<String> all = new ArrayList<>();
        api.get("/api/plugins").data().forEach(p -> all.add(p.path("id").asText() + " " + p.path("version").asText()
                + " " + p.path("state").asText()));
        return all;
    }

    private List<String> uploadedFiles() throws Exception {
        Path folder = server.dataDir().resolve("plugin-jars");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private boolean panelListed() {
        for (JsonNode panel : api.get("/api/ui/panels").data()) {
            if ("hello".equals(panel.path("plugin").asText()) || panel.toString().contains("/plugins/hello/")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void installUpgradeDisableEnableRemoveAndRestarts() throws Exception {
        ApiResult installed = upload(hello("1.0.0"));
        assertEquals(201, installed.status(), installed.text());
        assertEquals("started", installed.data().path("state").asText(), installed.text());
        assertEquals("1.0.0", api.get("/api/hello/version").data().path("version").asText());
        assertEquals(1, api.get("/api/hello/rows").data().path("rows").asInt(), "the V1 migration ran");
        assertTrue(panelListed());
        JsonNode entry = entry("hello");
        assertTrue(entry.path("removable").asBoolean());
        assertFalse(entry.path("bundled").asBoolean());
        assertTrue(entry.path("unloadable").asBoolean());
        assertTrue(entry.path("settings").isArray());
        assertTrue(entry.path("pending").isNull());
        assertEquals(sha256(server.dataDir().resolve("plugin-jars/hello-1.0.0.jar")),
                entry.path("agent_side").path("sha256").asText());

        ApiResult upgraded = upload(hello("2.0.0"));
        assertEquals(200, upgraded.status(), upgraded.text());
        assertEquals("2.0.0", upgraded.data().path("version").asText());
        assertEquals("2.0.0", api.get("/api/hello/version").data().path("version").asText());
        assertEquals(2, api.get("/api/hello/rows").data().path("rows").asInt(), "the V2 migration ran");
        assertEquals(List.of("hello-2.0.0.jar"), uploadedFiles(), "the old upload is gone");

        ApiResult same = upload(hello("2.0.0"));
        assertEquals(409, same.status());
        assertEquals("Plugin 'hello' 2.0.0 is already installed; upload a higher Plugin-Version to upgrade.", same.error());

        ApiResult disabled = api.post("/api/plugins/hello/disable", null);
        assertEquals(200, disabled.status(), disabled.text());
        assertEquals("disabled", disabled.data().path("state").asText());
        assertEquals(404, api.get("/api/hello/version").status());
        assertFalse(panelListed(), "the panel left the panel list");

        server.restart();
        api = server.api();
        assertEquals("disabled", entry("hello").path("state").asText(), "disabled stays disabled after a restart");
        assertEquals("2.0.0", entry("hello").path("version").asText(), "upgraded stays upgraded");
        assertEquals(404, api.get("/api/hello/version").status());

        ApiResult enabled = api.post("/api/plugins/hello/enable", null);
        assertEquals(200, enabled.status(), enabled.text());
        assertEquals("started", enabled.data().path("state").asText(), enabled.text());
        assertEquals("2.0.0", api.get("/api/hello/version").data().path("version").asText());
        assertTrue(panelListed());

        assertEquals(404, api.post("/api/plugins/nothing-here/disable", null).status());
        assertEquals("There is no plugin 'nothing-here'.", api.post("/api/plugins/nothing-here/enable", null).error());

        ApiResult removed = api.delete("/api/plugins/hello");
        assertEquals(200, removed.status(), removed.text());
        assertTrue(removed.data().path("removed").asBoolean());
        assertFalse(removed.data().path("purged").asBoolean());
        assertEquals(404, api.get("/api/hello/version").status());
        assertEquals(null, entry("hello"));
        assertEquals(List.of(), uploadedFiles(), "the jar is gone");

        JsonNode audit = Poll.value("the audit entries of the plugin changes", WAIT,
                () -> api.get("/api/audit?limit=100").data(), entries -> entries.toString().contains("DELETE /api/plugins/{id}"));
        for (String action : List.of("POST /api/plugins", "POST /api/plugins/{id}/disable", "POST /api/plugins/{id}/enable")) {
            assertTrue(audit.toString().contains("\"" + action + "\""), action + " in " + audit);
        }

        server.restart();
        api = server.api();
        assertEquals(null, entry("hello"), "removed stays removed");
        assertEquals(404, api.get("/api/hello/version").status());
    }

    @Test
    void atStartTheHighestVersionOfBundledAndUploadedJarsRunsAndRemovedBundledJarsStayOff() throws Exception {
        server.close();
        Path bundled = Files.createDirectories(work.resolve("bundled"));
        hello("1.0.0").write(bundled.resolve("hello-1.0.0.jar"));
        server = TestServer.builder().pluginsDir(bundled).start();
        api = server.api();
        JsonNode v1 = entry("hello");
        assertEquals("1.0.0", v1.path("version").asText(), v1.toString());
        assertTrue(v1.path("bundled").asBoolean(), v1.toString());

        assertEquals(200, upload(hello("2.0.0")).status());
        server.restart();
        api = server.api();
        JsonNode v2 = entry("hello");
        assertEquals("2.0.0", v2.path("version").asText(), "the uploaded upgrade wins over the bundled jar: " + v2);
        assertFalse(v2.path("bundled").asBoolean());

        assertEquals(200, api.delete("/api/plugins/hello").status());
        assertTrue(Files.exists(bundled.resolve("hello-1.0.0.jar")), "the bundled jar stays");
        server.restart();
        api = server.api();
        assertEquals(null, entry("hello"), "a removed bundled plugin stays off");
        String state = Files.readString(server.dataDir().resolve("plugin-state.json"));
        assertTrue(state.contains("\"removed\"") && state.contains("hello"), state);

        assertEquals(201, upload(hello("1.0.0")).status(), "an upload of the id clears its removal");
        server.restart();
        api = server.api();
        assertEquals("started", entry("hello").path("state").asText());
    }

    @Test
    void aPluginWithNativeCodeWaitsForARestartToBeUpgradedOrRemoved() throws Exception {
        assertEquals(201, upload(hello("1.0.0").manifest("Plugin-Unloadable", "false")).status());
        assertFalse(entry("hello").path("unloadable").asBoolean());

        ApiResult upgrade = upload(hello("2.0.0").manifest("Plugin-Unloadable", "false"));
        assertEquals(200, upgrade.status(), upgrade.text());
        assertEquals("restart_required", upgrade.data().path("state").asText(), upgrade.text());
        assertEquals("Version 2.0.0 is installed and starts at the next restart: plugin 'hello' loads native code and"
                + " cannot be replaced while running.", upgrade.data().path("error").asText());
        assertEquals("upgrade", upgrade.data().path("pending").path("action").asText(), upgrade.text());
        assertEquals("2.0.0", upgrade.data().path("pending").path("version").asText());
        assertEquals("1.0.0", api.get("/api/hello/version").data().path("version").asText(), "version 1 keeps running");

        server.restart();
        api = server.api();
        assertEquals("2.0.0", api.get("/api/hello/version").data().path("version").asText());
        assertEquals("started", entry("hello").path("state").asText());
        assertEquals(List.of("hello-2.0.0.jar"), uploadedFiles(), "the replaced jar is cleared at start");

        ApiResult removal = api.delete("/api/plugins/hello");
        assertEquals(200, removal.status(), removal.text());
        JsonNode waiting = entry("hello");
        assertEquals("restart_required", waiting.path("state").asText(), waiting.toString());
        assertEquals("remove", waiting.path("pending").path("action").asText(), waiting.toString());
        assertEquals(404, api.get("/api/hello/version").status(), "stopped at once");
        server.restart();
        api = server.api();
        assertEquals(null, entry("hello"));
        assertEquals(List.of(), uploadedFiles());
    }

    @Test
    void aBundledPluginWhosePluginRequiresIsNotMetIsFailedWithTheReason() throws Exception {
        server.close();
        Path bundled = Files.createDirectories(work.resolve("bundled"));
        new PluginJar("future", "1.0.0").extension(FriendPlugin.class).manifest("Plugin-Requires", ">=99.0.0")
                .write(bundled.resolve("future-1.0.0.jar"));
        server = TestServer.builder().pluginsDir(bundled).start();
        api = server.api();
        JsonNode future = entry("future");
        assertEquals("failed", future.path("state").asText(), future.toString());
        assertEquals("Plugin 'future' needs ClassTop >=99.0.0; this platform is " + Main.VERSION + ".",
                future.path("error").asText());
    }

    @Test
    void removingWithPurgeDropsItsTablesSoAReinstallStartsFromScratch() throws Exception {
        assertEquals(201, upload(hello("1.0.0")).status());
        assertEquals(200, api.post("/api/hello/rows", null).status());
        assertEquals(2, api.get("/api/hello/rows").data().path("rows").asInt());
        assertEquals(201, upload(new PluginJar("friend", "1.0.0").extension(FriendPlugin.class)
                .manifest("Plugin-Dependencies", "hello")).status());

        ApiResult needed = api.delete("/api/plugins/hello?purge=true");
        assertEquals(409, needed.status());
        assertEquals("Plugin 'hello' is needed by plugin 'friend': remove it first.", needed.error());
        assertEquals(2, api.get("/api/hello/rows").data().path("rows").asInt(), "nothing changed");

        assertEquals(200, api.delete("/api/plugins/friend").status());
        ApiResult purged = api.delete("/api/plugins/hello?purge=true");
        assertEquals(200, purged.status(), purged.text());
        assertTrue(purged.data().path("purged").asBoolean());

        assertEquals(201, upload(hello("1.0.0")).status(), "an upload clears the removal");
        assertEquals(1, api.get("/api/hello/rows").data().path("rows").asInt(), "a new table: the migration ran again");
    }

    @Test
    void badUploadsAreRefusedWithASentenceAndNothingChanges() throws Exception {
        assertEquals(201, upload(hello("1.0.0")).status());
        List<String> before = installed();
        List<String> filesBefore = uploadedFiles();

        record Refusal(int status, String sentence, ApiResult result) {
        }
        List<Refusal> refusals = List.of(
                new Refusal(400, "The upload is not a jar file.",
                        api.sendBytes("POST", "/api/plugins", JAR, "just text".getBytes())),
                new Refusal(400, "The jar is not a ClassTop plugin: its MANIFEST has no Plugin-Id.",
                        upload(new PluginJar(null, "1.0.0").extension(FriendPlugin.class))),
                new Refusal(400, "The Plugin-Id 'Bad_Id' breaks the id rule: 2 to 64 lower-case letters, digits and"
                        + " dashes, starting with a letter.", upload(new PluginJar("Bad_Id", "1.0.0").extension(FriendPlugin.class))),
                new Refusal(400, "Plugin 'friend' needs a Plugin-Version such as 1.2.0 in its MANIFEST, not 'one'.",
                        upload(new PluginJar("friend", "one").extension(FriendPlugin.class))),
                new Refusal(400, "Plugin 'friend' lists no extension: its jar needs META-INF/extensions.idx naming its"
                        + " ServerPlugin or AgentPlugin class.", upload(new PluginJar("friend", "1.0.0"))),
                new Refusal(409, "Plugin 'friend' needs ClassTop >=99.0.0; this server is " + Main.VERSION + ".",
                        upload(new PluginJar("friend", "1.0.0").extension(FriendPlugin.class)
                                .manifest("Plugin-Requires", ">=99.0.0"))),
                new Refusal(409, "Plugin 'friend' needs plugin 'nowhere', which is not installed.",
                        upload(new PluginJar("friend", "1.0.0").extension(FriendPlugin.class)
                                .manifest("Plugin-Dependencies", "nowhere"))),
                new Refusal(409, "Plugin 'hello' 1.0.0 is already installed; upload a higher Plugin-Version to upgrade.",
                        upload(hello("0.9.0"))),
                new Refusal(415, "Send the plugin jar as the body with Content-Type application/java-archive (or"
                        + " application/octet-stream), not text/plain.",
                        api.sendBytes("POST", "/api/plugins", "text/plain", hello("2.0.0").bytes(work))),
                new Refusal(413, "The upload is larger than the limit of 262144 bytes (--plugin-max-bytes).",
                        api.sendBytes("POST", "/api/plugins", JAR, new byte[300 * 1024])));
        for (Refusal refusal : refusals) {
            assertEquals(refusal.status(), refusal.result().status(), refusal.result().text());
            assertEquals(refusal.sentence(), refusal.result().error());
        }
        assertEquals(before, installed(), "nothing installed changed");
        assertEquals(filesBefore, uploadedFiles(), "no file was left behind");
        assertEquals("1.0.0", api.get("/api/hello/version").data().path("version").asText());
        ApiResult viewer = api.withHeader("Authorization", "Bearer nope").get("/api/plugins/hello/agent-jar");
        assertEquals(401, viewer.status());
    }

    @Test
    void aPluginWhoseConstructorThrowsIsFailedWhileTheOthersRun() throws Exception {
        assertEquals(201, upload(hello("1.0.0")).status());
        ApiResult thrower = upload(new PluginJar("thrower", "1.0.0").extension(ThrowingPlugin.class));
        assertEquals(201, thrower.status(), thrower.text());
        assertEquals("failed", thrower.data().path("state").asText());
        assertTrue(thrower.data().path("error").asText().startsWith("Plugin 'thrower': creating its extension "
                + ThrowingPlugin.class.getName() + " failed: java.lang.IllegalStateException: this constructor always fails"),
                thrower.text());
        assertEquals("started", entry("hello").path("state").asText());
        assertEquals("1.0.0", api.get("/api/hello/version").data().path("version").asText());
    }

    @Test
    void agentsAreToldTheSetAndDownloadWithTheirSessionToken() throws Exception {
        try (FakeAgent agent = new FakeAgent("pm-agent-1")) {
            agent.register(server.wsUrl("pm-agent-1"), "pc", Map.of());
            JsonNode first = agent.await("plugins", WAIT);
            String token = first.path("download_token").asText();
            assertTrue(token.startsWith("ctd_") && token.length() > 40, first.toString());
            assertEquals(0, first.path("plugins").size(), first.toString());

            assertEquals(201, upload(hello("1.0.0")).status());
            String sha = sha256(server.dataDir().resolve("plugin-jars/hello-1.0.0.jar"));
            JsonNode announced = agent.await(f -> "plugins".equals(f.path("type").asText()) && f.path("plugins").size() == 1,
                    WAIT, "a plugins frame listing hello");
            JsonNode hello = announced.path("plugins").get(0);
            assertEquals("hello", hello.path("id").asText());
            assertEquals("1.0.0", hello.path("version").asText());
            assertEquals(sha, hello.path("sha256").asText());

            ApiResult download = api.anonymous().withHeader("Authorization", "Bearer " + token)
                    .get("/api/plugins/hello/agent-jar");
            assertEquals(200, download.status(), download.text());
            assertEquals(sha, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(download.body())));
            assertEquals("\"" + sha + "\"", download.header("ETag"));
            ApiResult wrong = api.anonymous().withHeader("Authorization", "Bearer ctd_wrong").get("/api/plugins/hello/agent-jar");
            assertEquals(401, wrong.status());

            agent.sendJson(Map.of("type", "plugins_state", "plugins", List.of(Map.of("id", "hello", "version", "1.0.0",
                    "sha256", sha, "state", "started"))));
            JsonNode agents = Poll.value("the agent's plugins_state", WAIT, () -> entry("hello").path("agents"),
                    a -> a.size() == 1);
            assertEquals(1, agents.get(0).path("count").asInt());
            assertEquals("started", agents.get(0).path("state").asText());

            assertEquals(200, api.post("/api/plugins/hello/disable", null).status());
            JsonNode off = agent.await(f -> "plugins".equals(f.path("type").asText()) && f.path("off").toString().contains("hello"),
                    WAIT, "a plugins frame with hello off");
            assertEquals(0, off.path("plugins").size());
            assertEquals(404, api.get("/api/plugins/hello/agent-jar").status());
        }
        try (FakeAgent closedSession = new FakeAgent("pm-agent-2")) {
            closedSession.register(server.wsUrl("pm-agent-2"), "pc2", Map.of());
            String token = closedSession.await("plugins", WAIT).path("download_token").asText();
            closedSession.close();
            assertEquals(200, api.post("/api/plugins/hello/enable", null).status());
            Poll.until("the closed session's token stops working", WAIT, () -> api.anonymous()
                    .withHeader("Authorization", "Bearer " + token).get("/api/plugins/hello/agent-jar").status() == 401);
        }
    }

    /** A hello jar of megabytes (barely compressible filler), which takes a while to hash. */
    private static PluginJar largeHello() {
        java.util.Random random = new java.util.Random(7);
        StringBuilder filler = new StringBuilder();
        while (filler.length() < 6_000_000) {
            filler.append(Long.toString(random.nextLong(), 36));
        }
        return hello("1.0.0").resource("static/hello/filler.txt", filler.toString());
    }

    @Test
    void anAgentConnectedRightAfterStartIsToldTheJarsWithTheirDigestsWhichARestartReadsFromTheCache() throws Exception {
        server.close();
        Path bundled = Files.createDirectories(work.resolve("bundled"));
        Path jar = bundled.resolve("hello-1.0.0.jar");
        largeHello().write(jar);
        String sha = sha256(jar);
        CapturedLog firstStart = new CapturedLog("org.classtop.core.plugins.PluginDigests");
        server = TestServer.builder().pluginsDir(bundled).start();
        api = server.api();
        try (firstStart; FakeAgent agent = new FakeAgent("pm-start-1")) {
            agent.register(server.wsUrl("pm-start-1"), "pc", Map.of());
            JsonNode first = agent.await("plugins", WAIT);
            assertEquals(1, first.path("plugins").size(), "the first set, never an empty one: " + first);
            assertEquals(sha, first.path("plugins").get(0).path("sha256").asText());
            assertTrue(firstStart.lineWith("hello-1.0.0.jar hashed") != null, "hashed once: " + firstStart.lines());
        }
        assertEquals(sha, entry("hello").path("agent_side").path("sha256").asText());

        Path cache = server.dataDir().resolve("cache/plugin-digests.properties");
        Poll.until("the digest cache is written", WAIT, () -> Files.isRegularFile(cache));
        String cached = Files.readString(cache);
        assertTrue(cached.contains(sha), cached);
        try (CapturedLog log = new CapturedLog("org.classtop.core.plugins.PluginDigests")) {
            server.restart();
            api = server.api();
            try (FakeAgent agent = new FakeAgent("pm-start-2")) {
                agent.register(server.wsUrl("pm-start-2"), "pc2", Map.of());
                assertEquals(sha, agent.await("plugins", WAIT).path("plugins").get(0).path("sha256").asText());
            }
            assertEquals(null, log.lineWith("hashed"), "the restart read the digest from the cache: " + log.lines());
        }
        assertEquals(cached, Files.readString(cache));
    }

    @Test
    void anUploadRightAfterStartIsInTheSetAgentsKeepWhileTheStartDigestsComplete() throws Exception {
        server.close();
        Path bundled = Files.createDirectories(work.resolve("bundled"));
        largeHello().write(bundled.resolve("hello-1.0.0.jar"));
        server = TestServer.builder().pluginsDir(bundled).start();
        api = server.api();
        try (FakeAgent agent = new FakeAgent("pm-race-1")) {
            agent.register(server.wsUrl("pm-race-1"), "pc", Map.of());
            assertEquals(201, upload(new PluginJar("echo", "1.0.0").extension(HelloAgent.class)).status());
            String sha = sha256(server.dataDir().resolve("plugin-jars/echo-1.0.0.jar"));
            Poll.until("a plugins frame with hello and echo", WAIT, () -> agent.history().stream()
                    .filter(f -> "plugins".equals(f.path("type").asText())).reduce((a, b) -> b)
                    .map(last -> last.path("plugins").size() == 2 && last.toString().contains(sha)).orElse(false));
            assertTrue(agent.history().stream().filter(f -> "plugins".equals(f.path("type").asText()))
                    .allMatch(f -> f.path("plugins").size() >= 1), "never an empty set: " + agent.history());
        }
    }

    @Test
    void aPendingAgentIsToldThePluginsOnlyOnceApproved() throws Exception {
        server.close();
        server = TestServer.builder().enrollment(org.classtop.core.config.ServerConfig.EnrollmentMode.APPROVE).start();
        api = server.api();
        assertEquals(201, upload(hello("1.0.0")).status());
        try (FakeAgent agent = new FakeAgent("pm-pending-1")) {
            agent.register(server.wsUrl("pm-pending-1"), "pc", Map.of());
            assertEquals("pending", agent.await("registered", WAIT).path("status").asText());
            assertEquals(200, api.post("/api/clients/pm-pending-1/approve", null).status());
            JsonNode plugins = agent.await("plugins", WAIT);
            assertEquals("hello", plugins.path("plugins").get(0).path("id").asText(), plugins.toString());
            assertTrue(agent.history().stream().filter(f -> "plugins".equals(f.path("type").asText())).count() == 1,
                    "no plugins frame before approval: " + agent.history());
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
