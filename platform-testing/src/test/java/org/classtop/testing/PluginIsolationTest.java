package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.classtop.api.Lifecycle;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerPlugin;
import org.classtop.core.http.RouteRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One plugin's failure stays its own: a throwing handler answers 500 PLUGIN_FAILED naming it (the stack trace
 * only in the log), a start() that hangs is given up while the server listens, a plugin whose configure(),
 * start(), migration or handler constructor throws is failed and named while the others answer, and a plugin
 * being stopped lets its requests in flight finish, answers 503 meanwhile and 404 afterwards.
 */
class PluginIsolationTest {
    static final CountDownLatch NEVER = new CountDownLatch(1);
    static final CountDownLatch SLOW_ENTERED = new CountDownLatch(1);
    static final CountDownLatch SLOW_RELEASE = new CountDownLatch(1);

    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension(b -> b
            .serverConfig(c -> c.pluginStartTimeout(Duration.ofMillis(700)))
            .plugin("thrower", new Thrower())
            .plugin("hanging", new Hanging())
            .plugin("configure-fails", new ConfigureFails())
            .plugin("start-fails", new StartFails())
            .plugin("migration-fails", new Healthy("/api/migration-fails/ok"))
            .plugin("handler-ctor-fails", new HandlerCtorFails())
            .plugin("healthy", new Healthy("/api/healthy/ok"))
            .plugin("slow", new Slow()));

    @AfterAll
    static void releaseHangingThreads() {
        NEVER.countDown();
        SLOW_RELEASE.countDown();
    }

    public static final class Boom implements RouteHandler {
        @Override
        public Object handle(ApiRequest request) {
            throw new IllegalStateException("the plugin's private detail 5f3a");
        }
    }

    public static final class AsyncBoom implements RouteHandler {
        @Override
        public Object handle(ApiRequest request) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("async private detail 9c1e"));
        }
    }

    public static final class Refuses implements RouteHandler {
        @Override
        public Object handle(ApiRequest request) {
            throw ApiException.conflict("BUSY", "The thrower is busy.");
        }
    }

    public static final class Thrower extends ServerPlugin {
        @Override
        protected void configure() {
            route(HttpMethod.GET, "/api/thrower/boom").to(Boom.class);
            route(HttpMethod.GET, "/api/thrower/async").to(AsyncBoom.class);
            route(HttpMethod.GET, "/api/thrower/refuses").to(Refuses.class);
        }
    }

    public static final class Ok implements RouteHandler {
        @Override
        public Object handle(ApiRequest request) {
            return Map.of("ok", true);
        }
    }

    public static final class Healthy extends ServerPlugin {
        private final String path;

        Healthy(String path) {
            this.path = path;
        }

        @Override
        protected void configure() {
            route(HttpMethod.GET, path).to(Ok.class);
        }
    }

    public static final class HangsInStart implements Lifecycle {
        @Override
        public void start() throws Exception {
            NEVER.await(); // until interrupted
        }

        @Override
        public void stop() {
        }
    }

    public static final class Hanging extends ServerPlugin {
        @Override
        protected void configure() {
            lifecycle(HangsInStart.class);
            route(HttpMethod.GET, "/api/hanging/ok").to(Ok.class);
        }
    }

    public static final class ConfigureFails extends ServerPlugin {
        @Override
        protected void configure() {
            throw new IllegalStateException("configure blew up");
        }
    }

    public static final class ThrowsInStart implements Lifecycle {
        @Override
        public void start() {
            throw new IllegalStateException("start blew up");
        }

        @Override
        public void stop() {
        }
    }

    public static final class StartFails extends ServerPlugin {
        @Override
        protected void configure() {
            lifecycle(ThrowsInStart.class);
            route(HttpMethod.GET, "/api/start-fails/ok").to(Ok.class);
        }
    }

    public static final class CannotBeCreated implements RouteHandler {
        public CannotBeCreated() {
            throw new IllegalStateException("constructor blew up");
        }

        @Override
        public Object handle(ApiRequest request) {
            return "never";
        }
    }

    public static final class HandlerCtorFails extends ServerPlugin {
        @Override
        protected void configure() {
            route(HttpMethod.GET, "/api/handler-ctor-fails/x").to(CannotBeCreated.class);
        }
    }

    public static final class Waits implements RouteHandler {
        @Override
        public Object handle(ApiRequest request) throws Exception {
            SLOW_ENTERED.countDown();
            assertTrue(SLOW_RELEASE.await(30, TimeUnit.SECONDS));
            return Map.of("finished", true);
        }
    }

    public static final class Slow extends ServerPlugin {
        @Override
        protected void configure() {
            route(HttpMethod.GET, "/api/slow/wait").to(Waits.class);
            route(HttpMethod.GET, "/api/slow/quick").to(Ok.class);
        }
    }

    private static JsonNode plugin(String id) {
        ApiResult list = SERVER.get().api().get("/api/plugins");
        assertEquals(200, list.status(), list.toString());
        for (JsonNode p : list.data()) {
            if (id.equals(p.path("id").asText())) {
                return p;
            }
        }
        throw new AssertionError("GET /api/plugins has no plugin '" + id + "': " + list);
    }

    @Test
    void aThrowingHandlerAnswers500PluginFailedNamingThePluginWithTheStackTraceOnlyInTheLog() {
        try (CapturedLog log = new CapturedLog("org.classtop.core.http.ApiHttpHandler")) {
            ApiResult boom = SERVER.get().api().get("/api/thrower/boom");
            assertEquals(500, boom.status(), boom.toString());
            assertEquals("PLUGIN_FAILED", boom.code(), boom.toString());
            assertEquals("Plugin 'thrower' failed to answer GET /api/thrower/boom.", boom.error());
            assertFalse(boom.text().contains("5f3a") || boom.text().contains("IllegalStateException")
                    || boom.text().contains("\tat "), "nothing of the failure leaks into the answer: " + boom.text());
            List<String> lines = log.lines().stream().filter(l -> l.contains("[thrower]")).toList();
            assertEquals(1, lines.size(), "logged once, under the plugin's id: " + log.lines());
        }

        ApiResult async = SERVER.get().api().get("/api/thrower/async");
        assertEquals(500, async.status(), async.toString());
        assertEquals("PLUGIN_FAILED", async.code());
        assertEquals("Plugin 'thrower' failed to answer GET /api/thrower/async.", async.error());
        assertFalse(async.text().contains("9c1e"), async.text());

        ApiResult refused = SERVER.get().api().get("/api/thrower/refuses");
        assertEquals(409, refused.status(), "an ApiException is the plugin's own answer: " + refused);
        assertEquals("The thrower is busy.", refused.error());

        assertEquals(200, SERVER.get().api().get("/api/healthy/ok").status(), "the other plugins still answer");
        assertEquals("started", plugin("thrower").path("state").asText(), "a failing request does not fail the plugin");
    }

    @Test
    void aHangingStartIsGivenUpAndTheServerListens() throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(SERVER.get().baseUrl() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());

        JsonNode hanging = plugin("hanging");
        assertEquals("failed", hanging.path("state").asText(), hanging.toString());
        assertEquals("Plugin 'hanging' did not start within 700 ms (its lifecycle " + HangsInStart.class.getName()
                + "); it is skipped.", hanging.path("error").asText());
        assertEquals(404, SERVER.get().api().get("/api/hanging/ok").status(), "its routes are gone");
    }

    @Test
    void pluginsFailingInConfigureStartMigrationOrAConstructorAreFailedAndNamedWhileTheOthersAnswer() {
        assertEquals("Plugin 'configure-fails' failed: configure blew up.", plugin("configure-fails").path("error").asText());
        assertEquals("Plugin 'start-fails' failed: start blew up.", plugin("start-fails").path("error").asText());
        assertEquals(404, SERVER.get().api().get("/api/start-fails/ok").status());
        JsonNode migration = plugin("migration-fails");
        assertEquals("failed", migration.path("state").asText(), migration.toString());
        assertTrue(migration.path("error").asText().startsWith("Plugin 'migration-fails'"), migration.toString());
        assertEquals(404, SERVER.get().api().get("/api/migration-fails/ok").status());
        JsonNode constructor = plugin("handler-ctor-fails");
        assertEquals("failed", constructor.path("state").asText());
        assertTrue(constructor.path("error").asText().contains("constructor blew up"), constructor.toString());
        for (String id : List.of("configure-fails", "start-fails", "migration-fails", "handler-ctor-fails")) {
            JsonNode p = plugin(id);
            assertEquals("failed", p.path("state").asText(), p.toString());
            assertFalse(p.path("error").asText().contains("\n"), "one sentence, not a stack trace: " + p);
        }
        assertEquals(200, SERVER.get().api().get("/api/healthy/ok").status(), "another plugin's route still works");
    }

    @Test
    void aRequestInFlightFinishesWhileItsPluginIsDisabledNewOnesGet503ThenTheRoutesAnswer404() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(HttpRequest.newBuilder(
                        URI.create(SERVER.get().baseUrl() + "/api/slow/wait"))
                .header("Authorization", "Bearer " + SERVER.get().adminToken()).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(SLOW_ENTERED.await(10, TimeUnit.SECONDS), "the slow request reached its handler");
        RouteRegistry routes = SERVER.get().server().injector().getInstance(RouteRegistry.class);
        assertEquals(1, routes.inFlight("slow"));

        CompletableFuture<ApiResult> stopping = CompletableFuture.supplyAsync(
                () -> SERVER.get().api().post("/api/plugins/slow/disable", Map.of()));
        ApiResult meanwhile = Poll.value("a new request to the stopping plugin is refused", Duration.ofSeconds(10),
                () -> SERVER.get().api().get("/api/slow/quick"), r -> r.status() == 503);
        assertEquals("PLUGIN_STOPPING", meanwhile.code());
        assertEquals("Plugin 'slow' is stopping; try again in a moment.", meanwhile.error());
        assertNotNull(meanwhile.header("Retry-After"), meanwhile.toString());
        assertFalse(stopping.isDone(), "the plugin waits for its request in flight");

        SLOW_RELEASE.countDown();
        HttpResponse<String> finished = inFlight.get(10, TimeUnit.SECONDS);
        assertEquals(200, finished.statusCode(), finished.body());
        assertTrue(finished.body().contains("\"finished\":true"), finished.body());
        ApiResult disabled = stopping.get(10, TimeUnit.SECONDS);
        assertEquals(200, disabled.status(), disabled.toString());
        assertEquals("disabled", disabled.data().path("state").asText(), disabled.toString());

        ApiResult after = SERVER.get().api().get("/api/slow/quick");
        assertEquals(404, after.status(), "a stopped plugin's routes are gone: " + after);
        assertEquals(0, routes.inFlight("slow"));
    }
}
