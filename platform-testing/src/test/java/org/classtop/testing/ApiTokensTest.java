package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.classtop.core.storage.Hashes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** API tokens (SPEC section 8): shown once, used as bearer with their role, expiry, revocation, last use, bad input. */
class ApiTokensTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension();

    private static void assertError(ApiResult result, int status, String code) {
        assertEquals(status, result.status(), result.toString());
        assertEquals(code, result.code(), result.toString());
        assertFalse(result.error().isBlank(), "a readable sentence");
    }

    private static JsonNode create(TestServer server, Map<String, Object> body) {
        ApiResult created = server.api().post("/api/tokens", body);
        assertEquals(201, created.status(), created.toString());
        return created.data();
    }

    private static ApiClient as(TestServer server, JsonNode created) {
        return ApiClient.withToken(server.baseUrl(), created.path("token").asText());
    }

    private static JsonNode listed(TestServer server, long id) {
        for (JsonNode token : server.api().get("/api/tokens").data()) {
            if (token.path("id").asLong() == id) {
                return token;
            }
        }
        return null;
    }

    @Test
    void aTokenIsShownOnceNeverListedAndActsWithItsRole() {
        TestServer server = SERVER.get();
        JsonNode viewer = create(server, Map.of("name", "Monitoring", "role", "viewer"));
        String token = viewer.path("token").asText();
        assertTrue(token.startsWith("ctt_") && token.length() >= 40, token);
        assertEquals("Monitoring", viewer.path("name").asText());
        assertEquals("viewer", viewer.path("role").asText());
        assertEquals("admin-token", viewer.path("created_by").asText());
        assertTrue(viewer.path("expires_at").isNull(), "no expires_in: never expires, " + viewer);
        assertTrue(viewer.path("last_used_at").isNull());
        assertFalse(viewer.path("revoked").asBoolean());

        ApiResult list = server.api().get("/api/tokens");
        assertFalse(list.text().contains(token), "the token is never shown again");
        assertFalse(list.text().contains(Hashes.sha256Hex(token)), "nor its hash");
        JsonNode row = listed(server, viewer.path("id").asLong());
        assertNotNull(row);
        for (String field : List.of("id", "name", "role", "created_at", "created_by", "expires_at", "last_used_at", "revoked")) {
            assertTrue(row.has(field), field + " in " + row);
        }
        assertFalse(row.has("token"));

        ApiClient asViewer = as(server, viewer);
        assertEquals(200, asViewer.get("/api/clients/").status());
        JsonNode me = asViewer.get("/api/auth/me").data();
        assertEquals("token:Monitoring", me.path("username").asText());
        assertEquals("viewer", me.path("role").asText());
        assertError(asViewer.post("/api/users", Map.of("username", "x", "password", "a long passphrase")), 403, "FORBIDDEN");
        assertError(asViewer.get("/api/tokens"), 403, "FORBIDDEN");
        assertError(asViewer.post("/api/tokens", Map.of("name", "escalate", "role", "admin")), 403, "FORBIDDEN");

        ApiClient asAdmin = as(server, create(server, Map.of("name", "Provisioning", "role", "admin")));
        assertEquals(201, asAdmin.post("/api/users", Map.of("username", "made-by-token", "password", "a long passphrase"))
                .status());
        assertEquals(200, asAdmin.get("/api/tokens").status());
        assertEquals(200, server.api().get("/api/tokens").status(), "CLASSTOP_ADMIN_TOKEN keeps working");
    }

    @Test
    void aRevokedTokenGets401AtOnceAndItsLiveFeedEnds() throws Exception {
        TestServer server = SERVER.get();
        JsonNode created = create(server, Map.of("name", "Dashboard TV", "role", "viewer"));
        long id = created.path("id").asLong();
        ApiClient client = as(server, created);
        assertEquals(200, client.get("/api/clients/").status());

        HttpResponse<InputStream> feed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + "/api/live")).header("Authorization", "Bearer " + created.path("token").asText())
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, feed.statusCode());
        CompletableFuture<List<String>> ended = new CompletableFuture<>();
        CompletableFuture<Void> hello = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            List<String> lines = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(feed.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                    if (line.contains("\"hello\"")) {
                        hello.complete(null);
                    }
                }
            } catch (Exception e) {
                lines.add("closed: " + e);
            }
            ended.complete(lines);
        }, "token-feed-reader");
        reader.setDaemon(true);
        reader.start();
        hello.get(10, TimeUnit.SECONDS);

        ApiResult revoked = server.api().delete("/api/tokens/" + id);
        assertEquals(200, revoked.status(), revoked.toString());
        assertTrue(revoked.data().path("revoked").asBoolean());
        ApiResult refused = client.get("/api/clients/");
        assertError(refused, 401, "INVALID_TOKEN");
        assertTrue(refused.error().contains("revoked"), refused.error());
        // The feed's own re-check runs every 15 s; the revocation closes it now.
        ended.get(5, TimeUnit.SECONDS);
        assertTrue(listed(server, id).path("revoked").asBoolean());

        assertEquals(200, server.api().delete("/api/tokens/" + id).status(), "revoking twice is fine");
        assertError(server.api().delete("/api/tokens/999999"), 404, "TOKEN_NOT_FOUND");
        assertError(server.api().delete("/api/tokens/abc"), 404, "TOKEN_NOT_FOUND");
    }

    @Test
    void aTokenThatExpiredGets401SayingSo() {
        TestServer server = SERVER.get();
        JsonNode created = create(server, Map.of("name", "One second", "role", "admin", "expires_in", 1));
        Instant createdAt = Instant.parse(created.path("created_at").asText());
        Instant expiresAt = Instant.parse(created.path("expires_at").asText());
        Duration lifetime = Duration.between(createdAt, expiresAt);
        assertTrue(lifetime.compareTo(Duration.ofMillis(900)) > 0 && lifetime.compareTo(Duration.ofSeconds(1)) <= 0,
                "expires one second after its creation: " + lifetime);
        ApiClient client = as(server, created);
        ApiResult refused = Poll.value("the token to expire", WAIT, () -> client.get("/api/clients/"), r -> r.status() == 401);
        assertError(refused, 401, "INVALID_TOKEN");
        assertTrue(refused.error().contains("expired"), refused.error());
        assertFalse(listed(server, created.path("id").asLong()).path("revoked").asBoolean(), "expired, not revoked");
    }

    @Test
    void everyBadBodyGets400AndLeavesTheTokensAsTheyWere() {
        TestServer server = SERVER.get();
        String before = server.api().get("/api/tokens").text();
        List<Object> bodies = new ArrayList<>();
        for (Object expiresIn : new Object[] {"3600", 0, -5, "", 1.5, 1.0, 157_766_401L, true, Map.of(), List.of(3600)}) {
            bodies.add(body("Script", "viewer", expiresIn));
        }
        bodies.add(body(null, "viewer", null));
        bodies.add(body("", "viewer", null));
        bodies.add(body("   ", "viewer", null));
        bodies.add(body("x".repeat(129), "viewer", null));
        bodies.add(body(42, "viewer", null));
        bodies.add(body("Script", null, null));
        bodies.add(body("Script", "root", null));
        bodies.add(body("Script", 1, null));
        bodies.add("not json");
        bodies.add("[]");
        bodies.add("null");
        bodies.add("\"a string\"");
        bodies.add("");
        for (Object body : bodies) {
            ApiResult result = server.api().send("POST", "/api/tokens", body);
            assertEquals(400, result.status(), body + " -> " + result);
            assertTrue(result.code().equals("INVALID_REQUEST") || result.code().equals("INVALID_JSON"), result.toString());
            assertTrue(result.error().endsWith("."), "a sentence: " + result.error());
        }
        assertEquals(before, server.api().get("/api/tokens").text(), "no token was created or changed");

        // The edges that are allowed.
        assertEquals(201, server.api().post("/api/tokens", body("x".repeat(128), "VIEWER", 157_766_400L)).status());
        assertEquals(201, server.api().post("/api/tokens", body("Explicit null", "viewer", null)).status());
    }

    private static Map<String, Object> body(Object name, Object role, Object expiresIn) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (name != null) {
            body.put("name", name);
        }
        if (role != null) {
            body.put("role", role);
        }
        body.put("expires_in", expiresIn);
        return body;
    }

    @Test
    void lastUsedAtMovesInMemoryAndIsStoredBeforeARestart() {
        try (TestServer server = TestServer.builder().start()) {
            JsonNode created = create(server, Map.of("name", "Nightly", "role", "viewer"));
            long id = created.path("id").asLong();
            ApiClient client = as(server, created);
            assertTrue(listed(server, id).path("last_used_at").isNull());

            assertEquals(200, client.get("/api/clients/").status());
            Instant first = Instant.parse(listed(server, id).path("last_used_at").asText());
            assertFalse(first.isBefore(Instant.parse(created.path("created_at").asText())));
            Instant later = Poll.value("a later use", WAIT, () -> {
                client.get("/api/clients/");
                return Instant.parse(listed(server, id).path("last_used_at").asText());
            }, used -> used.toEpochMilli() > first.toEpochMilli());

            server.restart();
            JsonNode afterRestart = listed(server, id);
            assertEquals(later.toEpochMilli(), Instant.parse(afterRestart.path("last_used_at").asText()).toEpochMilli(),
                    "the last use was written before the server stopped");
            assertEquals(200, as(server, created).get("/api/clients/").status(), "the token survives a restart");
        }
    }

    @Test
    void atMostAThousandLiveTokensEvenWhenCreatedConcurrently() throws Exception {
        try (TestServer server = TestServer.builder().start()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<ApiResult>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < 1010; i++) {
                    Map<String, Object> body = Map.of("name", "bulk " + i, "role", "viewer");
                    answers.add(pool.submit(() -> server.api().post("/api/tokens", body)));
                }
                int created = 0;
                int refused = 0;
                long someId = 0;
                for (Future<ApiResult> answer : answers) {
                    ApiResult result = answer.get(60, TimeUnit.SECONDS);
                    if (result.status() == 201) {
                        created++;
                        someId = result.data().path("id").asLong();
                    } else {
                        assertError(result, 409, "TOO_MANY_TOKENS");
                        refused++;
                    }
                }
                assertEquals(1000, created);
                assertEquals(10, refused);
                assertEquals(1000, server.api().get("/api/tokens").data().size());
                assertEquals(200, server.api().delete("/api/tokens/" + someId).status());
                assertEquals(201, server.api().post("/api/tokens", Map.of("name", "after a revocation", "role", "viewer"))
                        .status(), "a revoked token no longer counts");
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
