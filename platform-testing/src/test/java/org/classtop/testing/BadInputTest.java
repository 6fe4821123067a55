package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every bad input of SPEC sections 3 and 4 gets its status, code and one readable sentence (never a
 * stack trace), and the server keeps serving afterwards.
 */
class BadInputTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TestServer server;
    private static FakeAgent agent;

    @BeforeAll
    static void start() {
        server = TestServer.builder().start();
        agent = server.agent("bad-1", "PC", a -> a
                .on("ok", p -> Map.of("fine", true))
                .on("broken", p -> {
                    throw new FakeAgent.Failure("The disk is full.");
                }));
    }

    @AfterAll
    static void stop() {
        agent.close();
        server.close();
    }

    private static void assertError(ApiResult result, int status, String code) {
        assertEquals(status, result.status(), result.toString());
        assertFalse(result.success());
        assertEquals(code, result.code(), result.toString());
        assertNotNull(result.error());
        assertFalse(result.error().contains("Exception"), "no Java internals: " + result.error());
        assertFalse(result.error().contains("\n\tat "), "no stack trace");
    }

    @Test
    void malformedJsonIs400InvalidJson() {
        assertError(server.api().post("/api/clients/bad-1/command", "{\"command\": "), 400, "INVALID_JSON");
        assertError(server.api().post("/api/clients/bad-1/command", "not json"), 400, "INVALID_JSON");
        assertError(server.api().post("/api/clients/bad-1/command", ""), 400, "INVALID_JSON");
    }

    @Test
    void jsonIsReadStrictly() {
        ApiResult trailing = server.api().post("/api/enrollment/tokens", "{\"name\":\"x\"} trailing");
        assertError(trailing, 400, "INVALID_JSON");
        assertError(server.api().post("/api/enrollment/tokens", "{\"name\":\"x\"} {\"name\":\"y\"}"), 400, "INVALID_JSON");
        assertError(server.api().post("/api/enrollment/tokens", "{\"name\":\"x\"}]"), 400, "INVALID_JSON");
        ApiResult twice = server.api().post("/api/enrollment/tokens", "{\"name\":\"x\",\"name\":\"y\"}");
        assertError(twice, 400, "INVALID_JSON");
        assertTrue(twice.error().contains("'name'"), twice.error());

        ApiResult emptyNumber = server.api().post("/api/clients/bad-1/command", "{\"command\":\"ok\",\"timeout\":\"\"}");
        assertError(emptyNumber, 400, "INVALID_REQUEST");
        assertTrue(emptyNumber.error().contains("'timeout' must be a number"), emptyNumber.error());
        ApiResult emptyBoolean = server.api().send("PATCH", "/api/users/admin", "{\"disabled\":\"\"}");
        assertError(emptyBoolean, 400, "INVALID_REQUEST");
        assertTrue(emptyBoolean.error().contains("'disabled' must be true or false"), emptyBoolean.error());
        assertEquals(201, server.api().post("/api/enrollment/tokens", "{\"name\":\"x\"}  \n").status(), "whitespace is fine");
    }

    @Test
    void enrolmentTokensAlwaysExpire() {
        for (String expiresIn : new String[] {"\"\"", "\"3600\"", "1.5", "0", "-60", "31536001", "1e30", "true", "{}"}) {
            ApiResult refused = server.api().post("/api/enrollment/tokens", "{\"name\":\"lab\",\"expires_in\":" + expiresIn + "}");
            assertError(refused, 400, "INVALID_REQUEST");
            assertTrue(refused.error().contains("'expires_in'"), expiresIn + ": " + refused.error());
        }
        // The server keeps times to the millisecond: a microsecond clock here could run past its truncated answer.
        java.time.Instant before = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        ApiResult unsaid = server.api().post("/api/enrollment/tokens", Map.of("name", "lab"));
        assertEquals(201, unsaid.status(), unsaid.toString());
        java.time.Instant expires = java.time.Instant.parse(unsaid.data().path("expires_at").asText());
        assertTrue(!expires.isBefore(before.plus(Duration.ofDays(7))) && expires.isBefore(before.plus(Duration.ofDays(7).plusMinutes(1))),
                "7 days by default: " + expires);
        ApiResult year = server.api().post("/api/enrollment/tokens", Map.of("name", "lab", "expires_in", 31_536_000));
        assertEquals(201, year.status(), year.toString());
    }

    @Test
    void wrongShapesAre400InvalidRequest() {
        assertError(server.api().post("/api/clients/bad-1/command", "[1,2]"), 400, "INVALID_REQUEST");
        assertError(server.api().post("/api/clients/bad-1/command", Map.of("params", Map.of())), 400, "INVALID_REQUEST");
        ApiResult params = server.api().post("/api/clients/bad-1/command", Map.of("command", "ok", "params", "x"));
        assertError(params, 400, "INVALID_REQUEST");
        assertTrue(params.error().contains("'params' must be a JSON object"), params.error());
        assertError(server.api().post("/api/clients/bad-1/command", Map.of("command", "ok", "timeout", -1)), 400, "INVALID_REQUEST");
        assertError(server.api().post("/api/enrollment/tokens", Map.of("name", "")), 400, "INVALID_REQUEST");
        assertError(server.api().get("/api/commands?limit=abc"), 400, "INVALID_REQUEST");
    }

    @Test
    void unknownClientIs404() {
        ApiResult result = server.api().post("/api/clients/nobody/command", Map.of("command", "ok"));
        assertError(result, 404, "CLIENT_NOT_FOUND");
        assertTrue(result.error().contains("nobody"));
        assertError(server.api().get("/api/clients/nobody"), 404, "CLIENT_NOT_FOUND");
        assertError(server.api().get("/api/no/such/route"), 404, "NOT_FOUND");
        assertError(server.api().put("/api/clients/online", java.util.Map.of()), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void offlineClientIs503() {
        FakeAgent gone = server.agent("gone-1", "Gone PC", a -> { });
        gone.close();
        Poll.until("offline", WAIT, () -> "offline".equals(server.api().get("/api/clients/gone-1").data().path("status").asText()));
        ApiResult result = server.api().post("/api/clients/gone-1/command", Map.of("command", "ok"));
        assertError(result, 503, "CLIENT_OFFLINE");
        assertTrue(result.error().contains("Gone PC"), result.error());
    }

    @Test
    void silentClientIs504AfterItsTimeout() {
        try (FakeAgent silent = server.agent("silent-1", "Silent PC", a -> a.on("ok", p -> Map.of()).silent())) {
            ApiResult result = server.api().post("/api/clients/silent-1/command", Map.of("command", "ok", "timeout", 0.5));
            assertError(result, 504, "COMMAND_TIMEOUT");
            assertTrue(result.error().contains("0.5 s"), result.error());
            assertEquals("timeout", server.api().get("/api/commands?client=silent-1").data().path(0).path("status").asText());
        }
    }

    @Test
    void clientThatDisconnectsWhileACommandWaitsIs503() throws Exception {
        FakeAgent flaky = server.agent("flaky-1", "Flaky PC", a -> a.silent());
        var pending = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> server.api().post("/api/clients/flaky-1/command", Map.of("command", "ok", "timeout", 20)));
        flaky.await("command", WAIT);
        flaky.abort();
        assertError(pending.get(10, java.util.concurrent.TimeUnit.SECONDS), 503, "CLIENT_OFFLINE");
    }

    @Test
    void agentFailuresAndUnknownCommandsAre502CommandFailedWithTheAgentsSentence() {
        ApiResult failed = server.api().post("/api/clients/bad-1/command", Map.of("command", "broken"));
        assertError(failed, 502, "COMMAND_FAILED");
        assertEquals("The disk is full.", failed.error());
        ApiResult unknown = server.api().post("/api/clients/bad-1/command", Map.of("command", "no_such_command"));
        assertError(unknown, 502, "COMMAND_FAILED");
        assertTrue(unknown.error().contains("no_such_command"), unknown.error());
    }

    @Test
    void missingOrWrongCredentialsAre401AndEveryRouteButHealthzNeedsThem() {
        assertError(server.api().anonymous().get("/api/clients/"), 401, "UNAUTHORIZED");
        assertError(ApiClient.withToken(server.baseUrl(), "wrong").get("/api/clients/"), 401, "INVALID_TOKEN");
        assertError(server.api().anonymous().withHeader("Authorization", "Basic YTpi").get("/api/clients/"), 401, "UNAUTHORIZED");
        assertError(server.api().anonymous().get("/openapi.json"), 401, "UNAUTHORIZED");
        assertError(server.api().anonymous().get("/api/no/such/route"), 401, "UNAUTHORIZED");
        assertEquals(200, server.api().anonymous().get("/healthz").status());
        assertError(server.api().anonymous().post("/api/auth/login", Map.of("username", "admin", "password", "wrong")),
                401, "INVALID_CREDENTIALS");
    }

    @Test
    void oversizedAndMalformedWebSocketFramesAreRefusedAndTheServerKeepsServing() {
        FakeAgent noisy = server.agent("noisy-1", "Noisy", a -> { });
        noisy.send("this is not json");
        assertTrue(noisy.await("error", WAIT).path("error").asText().contains("not valid JSON"));
        noisy.send("{\"type\":\"heartbeat\",\"timestamp\":1} {\"type\":\"heartbeat\"}");
        assertTrue(noisy.await("error", WAIT).path("error").asText().contains("not valid JSON"), "one frame, one JSON value");
        noisy.sendJson(Map.of("type", "teleport"));
        assertTrue(noisy.await("error", WAIT).path("error").asText().contains("teleport"));

        noisy.send("{\"type\":\"state_update\",\"data\":\"" + "x".repeat(2 << 20) + "\"}");
        FakeAgent.Closed closed = noisy.awaitClosed(WAIT);
        assertTrue(closed.code() == 1009 || closed.code() == -1 || closed.code() == 1006, "closed: " + closed);

        FakeAgent badUuid = new FakeAgent("x");
        badUuid.connect("ws://127.0.0.1:" + server.port() + "/ws/bad%20uuid!");
        assertEquals(1008, badUuid.awaitClosed(WAIT).code());

        assertEquals(200, server.api().post("/api/clients/bad-1/command", Map.of("command", "ok")).status(),
                "the server and the other agents keep working");
    }

    @Test
    void aViewerMayLookButNotChange() {
        server.api().post("/api/users", Map.of("username", "teacher", "password", "a long passphrase", "role", "viewer"));
        ApiResult login = server.api().anonymous().post("/api/auth/login", Map.of("username", "teacher", "password", "a long passphrase"));
        assertEquals(200, login.status(), login.toString());
        ApiClient viewer = ApiClient.withToken(server.baseUrl(), login.data().path("token").asText());
        assertEquals(200, viewer.get("/api/clients/").status());
        assertError(viewer.post("/api/clients/bad-1/command", Map.of("command", "ok")), 403, "FORBIDDEN");
        assertError(server.api().post("/api/users", Map.of("username", "teacher", "password", "a long passphrase")), 409, "USER_EXISTS");
    }

    @Test
    void cookieSessionsNeedTheCsrfHeaderForChanges() {
        server.api().post("/api/users", Map.of("username", "cookie-admin", "password", "a long passphrase", "role", "admin"));
        ApiResult login = server.api().anonymous().post("/api/auth/login", Map.of("username", "cookie-admin", "password", "a long passphrase"));
        String setCookie = login.header("Set-Cookie");
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie);
        ApiClient browser = server.api().anonymous().withHeader("Cookie", setCookie.split(";")[0]);
        assertEquals(200, browser.get("/api/clients/").status());
        assertError(browser.post("/api/clients/bad-1/command", Map.of("command", "ok")), 403, "CSRF_REJECTED");
        ApiClient withCsrf = browser.withHeader("X-CSRF-Token", login.data().path("csrf_token").asText());
        assertEquals(200, withCsrf.post("/api/clients/bad-1/command", Map.of("command", "ok")).status());
        assertEquals(200, withCsrf.post("/api/auth/logout", Map.of()).status());
        assertError(browser.get("/api/clients/"), 401, "SESSION_EXPIRED");
    }
}
