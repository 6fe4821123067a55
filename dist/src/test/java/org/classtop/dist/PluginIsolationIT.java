package org.classtop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure isolation and plugin settings on the real server process with jars compiled in the test: a plugin
 * whose start() hangs is given up after --plugin-start-timeout while the server listens; a throwing handler
 * answers 500 PLUGIN_FAILED naming its plugin, the stack trace only in the log; a setting changed through the
 * API restarts its plugin, whose route answers the new value, also after a server restart.
 */
class PluginIsolationIT {
    @TempDir
    Path work;

    @RegisterExtension
    final StartedResources started = new StartedResources();

    private final String adminToken = LmsServer.randomToken();

    private static PluginJars hanging() {
        return PluginJars.plugin("hangs", "1.0.0")
                .source("it.hangs.Hangs", """
                        package it.hangs;

                        import org.classtop.api.Lifecycle;
                        import org.classtop.api.server.ServerPlugin;
                        import org.pf4j.Extension;

                        @Extension
                        public final class Hangs extends ServerPlugin {
                            @Override
                            protected void configure() {
                                lifecycle(Forever.class);
                            }

                            public static final class Forever implements Lifecycle {
                                @Override
                                public void start() throws Exception {
                                    Thread.sleep(Long.MAX_VALUE);
                                }

                                @Override
                                public void stop() {
                                }
                            }
                        }
                        """)
                .extension("it.hangs.Hangs");
    }

    private static PluginJars tuned() {
        return PluginJars.plugin("tuned", "1.0.0")
                .source("it.tuned.Tuned", """
                        package it.tuned;

                        import jakarta.inject.Inject;
                        import java.util.Map;
                        import org.classtop.api.PluginContext;
                        import org.classtop.api.SettingType;
                        import org.classtop.api.server.ApiRequest;
                        import org.classtop.api.server.HttpMethod;
                        import org.classtop.api.server.RouteHandler;
                        import org.classtop.api.server.ServerPlugin;
                        import org.pf4j.Extension;

                        @Extension
                        public final class Tuned extends ServerPlugin {
                            @Override
                            protected void configure() {
                                setting("greeting").defaultValue("hello").description("What the route says");
                                setting("times").type(SettingType.INT).defaultValue("1").live();
                                route(HttpMethod.GET, "/api/tuned/greeting").to(Greeting.class);
                                route(HttpMethod.GET, "/api/tuned/boom").to(Boom.class);
                            }

                            public static final class Greeting implements RouteHandler {
                                private final String greeting;

                                @Inject
                                public Greeting(PluginContext context) {
                                    greeting = context.config("greeting").orElse("?");
                                }

                                @Override
                                public Object handle(ApiRequest request) {
                                    return Map.of("greeting", greeting);
                                }
                            }

                            public static final class Boom implements RouteHandler {
                                @Override
                                public Object handle(ApiRequest request) {
                                    throw new IllegalStateException("secret-detail-4711");
                                }
                            }
                        }
                        """)
                .extension("it.tuned.Tuned");
    }

    private static JsonNode entry(ApiClient api, String id) {
        for (JsonNode plugin : api.get("/api/plugins").data()) {
            if (id.equals(plugin.path("id").asText())) {
                return plugin;
            }
        }
        throw new AssertionError("GET /api/plugins has no '" + id + "'");
    }

    @Test
    void aHangingStartIsGivenUpAThrowingHandlerIsNamedAndASettingChangeReloadsThePlugin() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        hanging().write(plugins);
        tuned().write(plugins);
        Path data = work.resolve("server-data");
        LmsServer server = started.track(LmsServer.start(work, adminToken, data, 0, "--plugins", plugins.toString(),
                "--plugin-start-timeout", "2s"));
        ApiClient api = server.api();

        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.url() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), "the server listens although a plugin's start() never returns");
        JsonNode hangs = entry(api, "hangs");
        assertEquals("failed", hangs.path("state").asText(), hangs.toString());
        assertEquals("Plugin 'hangs' did not start within 2 s (its lifecycle it.hangs.Hangs$Forever); it is skipped.",
                hangs.path("error").asText());

        ApiResult boom = api.get("/api/tuned/boom");
        assertEquals(500, boom.status(), boom.toString());
        assertEquals("PLUGIN_FAILED", boom.code());
        assertEquals("Plugin 'tuned' failed to answer GET /api/tuned/boom.", boom.error());
        assertFalse(boom.text().contains("secret-detail-4711"), boom.text());
        String log = server.process().stdout() + server.process().stderr();
        assertTrue(log.contains("[tuned] GET /api/tuned/boom failed") && log.contains("secret-detail-4711"),
                "the stack trace is in the server's log");

        assertEquals("hello", api.get("/api/tuned/greeting").data().path("greeting").asText());
        ApiResult bad = api.put("/api/plugins/tuned/settings", Map.of("values", Map.of("times", "often")));
        assertEquals(400, bad.status());
        assertEquals("Setting 'times' must be a whole number between -2147483648 and 2147483647, e.g. 30; 'often' is not.",
                bad.error());
        ApiResult changed = api.put("/api/plugins/tuned/settings", Map.of("values", Map.of("greeting", "good morning")));
        assertEquals(200, changed.status(), changed.toString());
        assertEquals("reloaded", changed.data().path("applied").asText());
        assertEquals("good morning", api.get("/api/tuned/greeting").data().path("greeting").asText());

        server.stop();
        LmsServer again = started.track(LmsServer.start(work, adminToken, data, 0, "--plugins", plugins.toString(),
                "--plugin-start-timeout", "2s"));
        assertEquals("good morning", again.api().get("/api/tuned/greeting").data().path("greeting").asText(),
                "the stored setting survives a restart");
        JsonNode setting = entry(again.api(), "tuned").path("settings").get(0);
        assertEquals("greeting", setting.path("name").asText());
        assertEquals("good morning", setting.path("value").asText());
    }
}
