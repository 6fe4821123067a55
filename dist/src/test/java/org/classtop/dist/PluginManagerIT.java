package org.classtop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC section 7 on the real server process, with plugin jars compiled in the test: install v1, upgrade to
 * v2 (the route's answer changes, v2's migration adds a column), disable (404, the panel leaves), enable,
 * remove, state kept across restarts; bad jars refused with their sentence while nothing changes; a purge
 * drops the tables the plugin's migrations created (read from the server's SQLite file); a plugin whose
 * extension constructor throws is failed, named, and the others run.
 */
class PluginManagerIT {
    private static final String JAR = "application/java-archive";

    @TempDir
    Path work;

    @RegisterExtension
    final StartedResources started = new StartedResources();

    private final String adminToken = LmsServer.randomToken();

    private LmsServer start() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        return started.track(LmsServer.start(work, adminToken, work.resolve("server-data"), 0, "--plugins", plugins.toString()));
    }

    private static PluginJars hello(String version, String answer) {
        PluginJars jar = PluginJars.plugin("hello", version)
                .source("it.hello.Hello", """
                        package it.hello;

                        import jakarta.inject.Inject;
                        import java.sql.Connection;
                        import java.sql.ResultSet;
                        import java.util.Map;
                        import org.classtop.api.server.ApiRequest;
                        import org.classtop.api.server.Database;
                        import org.classtop.api.server.HttpMethod;
                        import org.classtop.api.server.RouteHandler;
                        import org.classtop.api.server.ServerPlugin;
                        import org.pf4j.Extension;

                        @Extension
                        public final class Hello extends ServerPlugin {
                            @Override
                            protected void configure() {
                                route(HttpMethod.GET, "/api/hello/answer").to(Answer.class);
                                uiPanel("main").script("static/hello/panel.js").slot("page").register();
                            }

                            public static final class Answer implements RouteHandler {
                                private final Database database;

                                @Inject
                                public Answer(Database database) {
                                    this.database = database;
                                }

                                @Override
                                public Object handle(ApiRequest request) throws Exception {
                                    try (Connection c = database.dataSource().getConnection();
                                         ResultSet columns = c.getMetaData().getColumns(null, null, "hello_notes", "extra")) {
                                        return Map.of("answer", "ANSWER", "extra_column", columns.next());
                                    }
                                }
                            }
                        }
                        """.replace("ANSWER", answer))
                .extension("it.hello.Hello")
                .resource("static/hello/panel.js", "customElements.define('classtop-hello-main', class extends HTMLElement {});\n")
                .resource("db/hello/common/V1__notes.sql", "CREATE TABLE hello_notes (note VARCHAR(40));\n");
        if (!version.startsWith("1.")) {
            jar.resource("db/hello/common/V2__extra.sql", "ALTER TABLE hello_notes ADD COLUMN extra VARCHAR(40);\n");
        }
        return jar;
    }

    private static PluginJars simple(String id, String version) {
        return PluginJars.plugin(id, version)
                .source("it.simple.Simple", """
                        package it.simple;

                        import org.classtop.api.server.ServerPlugin;
                        import org.pf4j.Extension;

                        @Extension
                        public final class Simple extends ServerPlugin {
                            @Override
                            protected void configure() {
                            }
                        }
                        """)
                .extension("it.simple.Simple");
    }

    private ApiResult upload(ApiClient api, PluginJars jar) throws Exception {
        return api.sendBytes("POST", "/api/plugins", JAR, jar.bytes(Files.createTempDirectory(work, "jar-")));
    }

    private static JsonNode entry(ApiClient api, String id) {
        for (JsonNode plugin : api.get("/api/plugins").data()) {
            if (id.equals(plugin.path("id").asText())) {
                return plugin;
            }
        }
        return null;
    }

    private static boolean panelListed(ApiClient api) {
        for (JsonNode panel : api.get("/api/ui/panels").data()) {
            if ("hello".equals(panel.path("plugin").asText())) {
                return true;
            }
        }
        return false;
    }

    private List<String> uploadedJars() throws Exception {
        Path folder = work.resolve("server-data/plugin-jars");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> installed(ApiClient api) {
        List<String> all = new ArrayList<>();
        api.get("/api/plugins").data().forEach(p -> all.add(p.path("id").asText() + " " + p.path("version").asText()
                + " " + p.path("state").asText()));
        return all;
    }

    @Test
    void installUpgradeDisableEnableRemoveSurviveRestarts() throws Exception {
        LmsServer server = start();
        ApiClient api = server.api();

        ApiResult v1 = upload(api, hello("1.0.0", "v1"));
        assertEquals(201, v1.status(), v1.toString());
        assertEquals("started", v1.data().path("state").asText(), v1.toString());
        ApiResult answer = api.get("/api/hello/answer");
        assertEquals("v1", answer.data().path("answer").asText(), answer.toString());
        assertFalse(answer.data().path("extra_column").asBoolean(), answer.toString());
        assertTrue(panelListed(api), "the panel is listed");

        ApiResult v2 = upload(api, hello("2.0.0", "v2"));
        assertEquals(200, v2.status(), v2.toString());
        answer = api.get("/api/hello/answer");
        assertEquals("v2", answer.data().path("answer").asText(), answer.toString());
        assertTrue(answer.data().path("extra_column").asBoolean(), "v2's migration added the column: " + answer);
        assertEquals(List.of("hello-2.0.0.jar"), uploadedJars());

        ApiResult disabled = api.post("/api/plugins/hello/disable", null);
        assertEquals(200, disabled.status(), disabled.toString());
        assertEquals("disabled", disabled.data().path("state").asText());
        assertEquals(404, api.get("/api/hello/answer").status());
        assertFalse(panelListed(api), "the panel left the panel list");

        server.close();
        server = start();
        api = server.api();
        JsonNode afterRestart = entry(api, "hello");
        assertEquals("disabled", afterRestart.path("state").asText(), "disabled stays disabled: " + afterRestart);
        assertEquals("2.0.0", afterRestart.path("version").asText(), "upgraded stays v2: " + afterRestart);
        assertEquals(404, api.get("/api/hello/answer").status());

        ApiResult enabled = api.post("/api/plugins/hello/enable", null);
        assertEquals(200, enabled.status(), enabled.toString());
        assertEquals("started", enabled.data().path("state").asText(), enabled.toString());
        assertEquals("v2", api.get("/api/hello/answer").data().path("answer").asText());
        assertTrue(panelListed(api));

        ApiResult removed = api.delete("/api/plugins/hello");
        assertEquals(200, removed.status(), removed.toString());
        assertEquals(404, api.get("/api/hello/answer").status());
        assertNull(entry(api, "hello"));
        assertEquals(List.of(), uploadedJars(), "the jar is gone");

        server.close();
        server = start();
        api = server.api();
        assertNull(entry(api, "hello"), "removed stays removed");
        assertEquals(404, api.get("/api/hello/answer").status());
    }

    @Test
    void badJarsAreRefusedWithTheirSentenceAndNothingChanges() throws Exception {
        LmsServer server = start();
        ApiClient api = server.api();
        assertEquals(201, upload(api, hello("2.0.0", "v2")).status());
        List<String> before = installed(api);
        List<String> jarsBefore = uploadedJars();

        record Refusal(int status, String sentence, ApiResult result) {
        }
        List<Refusal> refusals = List.of(
                new Refusal(400, "The upload is not a jar file.",
                        api.sendBytes("POST", "/api/plugins", JAR, "not a jar at all".getBytes())),
                new Refusal(400, "The jar is not a ClassTop plugin: its MANIFEST has no Plugin-Id.",
                        upload(api, simple(null, "1.0.0"))),
                new Refusal(400, "Plugin 'bare' lists no extension: its jar needs META-INF/extensions.idx naming its"
                        + " ServerPlugin or AgentPlugin class.", upload(api, PluginJars.plugin("bare", "1.0.0")
                        .source("it.bare.Bare", "package it.bare;\n\npublic final class Bare {\n}\n"))),
                new Refusal(400, "The Plugin-Id 'Not_Valid' breaks the id rule: 2 to 64 lower-case letters, digits"
                        + " and dashes, starting with a letter.", upload(api, simple("Not_Valid", "1.0.0"))),
                new Refusal(409, "Plugin 'future' needs ClassTop >=99.0.0; this server is ",
                        upload(api, simple("future", "1.0.0").manifest("Plugin-Requires", ">=99.0.0"))),
                new Refusal(409, "Plugin 'lonely' needs plugin 'nowhere', which is not installed.",
                        upload(api, simple("lonely", "1.0.0").manifest("Plugin-Dependencies", "nowhere"))),
                new Refusal(409, "Plugin 'hello' 2.0.0 is already installed; upload a higher Plugin-Version to upgrade.",
                        upload(api, hello("1.0.0", "v1"))));
        for (Refusal refusal : refusals) {
            assertEquals(refusal.status(), refusal.result().status(), refusal.result().toString());
            assertTrue(refusal.result().error().startsWith(refusal.sentence()), refusal.result().toString());
        }
        assertEquals(before, installed(api), "nothing installed changed");
        assertEquals(jarsBefore, uploadedJars(), "no jar was left behind");
        assertEquals("v2", api.get("/api/hello/answer").data().path("answer").asText());
    }

    /** The server's tables whose names start with {@code prefix}, read from its SQLite file. */
    private List<String> serverTables(String prefix) throws Exception {
        List<String> names = new ArrayList<>();
        String url = "jdbc:sqlite:" + work.resolve("server-data/classtop.db");
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement select = c.prepareStatement(
                     "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ORDER BY name")) {
            select.setString(1, prefix + "%");
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    @Test
    void removingWithPurgeDropsTheTablesItsMigrationsCreated() throws Exception {
        LmsServer server = start();
        ApiClient api = server.api();
        assertEquals(201, upload(api, hello("2.0.0", "v2")).status());
        assertEquals(List.of("flyway_history_hello", "hello_notes"), serverTables("%hello"));

        ApiResult purged = api.delete("/api/plugins/hello?purge=true");
        assertEquals(200, purged.status(), purged.toString());
        assertTrue(purged.data().path("purged").asBoolean(), purged.toString());
        assertEquals(List.of(), serverTables("%hello"), "its table and Flyway history are gone");
        assertNull(entry(api, "hello"));

        ApiResult again = api.delete("/api/plugins/hello?purge=true");
        assertEquals(200, again.status(), "a removed plugin can be purged again: " + again);
        assertEquals(404, api.delete("/api/plugins/hello").status(), "without purge there is nothing to remove");
    }

    @Test
    void aPluginWhoseConstructorThrowsIsFailedWhileTheOthersRun() throws Exception {
        LmsServer server = start();
        ApiClient api = server.api();
        assertEquals(201, upload(api, hello("1.0.0", "v1")).status());
        ApiResult thrower = upload(api, PluginJars.plugin("thrower", "1.0.0")
                .source("it.thrower.Thrower", """
                        package it.thrower;

                        import org.classtop.api.server.ServerPlugin;
                        import org.pf4j.Extension;

                        @Extension
                        public final class Thrower extends ServerPlugin {
                            public Thrower() {
                                throw new IllegalStateException("the thrower always throws");
                            }

                            @Override
                            protected void configure() {
                            }
                        }
                        """)
                .extension("it.thrower.Thrower"));
        assertEquals(201, thrower.status(), thrower.toString());
        assertEquals("failed", thrower.data().path("state").asText(), thrower.toString());
        assertEquals("Plugin 'thrower': creating its extension it.thrower.Thrower failed:"
                + " java.lang.IllegalStateException: the thrower always throws.", thrower.data().path("error").asText());
        assertEquals("failed", entry(api, "thrower").path("state").asText());
        assertEquals("started", entry(api, "hello").path("state").asText());
        assertEquals("v1", api.get("/api/hello/answer").data().path("answer").asText());
    }
}
