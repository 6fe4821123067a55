package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.classtop.core.config.ServerConfig.EnrollmentMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit log: one row per state-changing API request (who, how signed in, from where, what, outcome)
 * and per sign-in attempt, never a secret; read by admins only, filtered and paged.
 */
class AuditLogTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PASSWORD = "alice's long passphrase";
    private static final String NEW_PASSWORD = "alice's newer passphrase";
    private static final String WRONG_PASSWORD = "not alice's passphrase";
    private static final String COMMAND_SECRET = "wifi-key-that-must-not-leak";
    private static TestServer server;
    private static FakeAgent pc1;
    private static final List<String> secrets = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = TestServer.builder().enrollment(EnrollmentMode.APPROVE).plugin("notes", new NotesPlugin.Server()).start();
        pc1 = new FakeAgent("audit-pc-1")
                .on("ping", p -> Map.of("pong", true))
                .on("set_note", p -> Map.of("key", p.path("key").asText(), "value", p.path("value").asText()));
        pc1.register(server.wsUrl("audit-pc-1"), "Room 1", Map.of());
        assertEquals("pending", pc1.await("registered", WAIT).path("status").asText());
        secrets.addAll(List.of(PASSWORD, NEW_PASSWORD, WRONG_PASSWORD, COMMAND_SECRET, server.adminToken()));
    }

    @AfterAll
    static void stop() {
        pc1.close();
        server.close();
    }

    private static List<JsonNode> audit(String query) {
        ApiResult result = server.api().get("/api/audit" + query);
        assertEquals(200, result.status(), result.toString());
        List<JsonNode> rows = new ArrayList<>();
        result.data().forEach(rows::add);
        return rows;
    }

    /** The newest row for this action (method and route), after the request that made it was answered. */
    private static JsonNode newest(String action) {
        List<JsonNode> rows = audit("?limit=1&action=" + enc(action));
        assertEquals(1, rows.size(), "a row for " + action);
        return rows.get(0);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void assertRow(JsonNode row, String user, String auth, int status) {
        assertEquals(user, row.path("user").asText(), row.toString());
        assertEquals(auth, row.path("auth").asText(), row.toString());
        assertEquals(status, row.path("status").asInt(), row.toString());
        assertEquals("127.0.0.1", row.path("address").asText(), "from where: " + row);
        assertTrue(row.path("id").asLong() > 0 && !row.path("at").asText().isEmpty(), row.toString());
        assertEquals(row.path("action").asText(), row.path("method").asText() + " " + template(row), row.toString());
    }

    private static String template(JsonNode row) {
        String action = row.path("action").asText();
        return action.substring(action.indexOf(' ') + 1);
    }

    private static String login(String username, String password) {
        ApiResult login = server.api().anonymous().post("/api/auth/login", Map.of("username", username, "password", password));
        assertEquals(200, login.status(), login.toString());
        String token = login.data().path("token").asText();
        secrets.add(token);
        return token;
    }

    @Test
    void everyKindOfAdminActionLeavesOneRowWithWhoAndFromWhereAndNoSecret() {
        // A user change by the admin token.
        assertEquals(201, server.api().post("/api/users", Map.of("username", "alice", "password", PASSWORD, "role", "admin"))
                .status());
        JsonNode created = newest("POST /api/users");
        assertRow(created, "admin-token", "admin_token", 201);
        assertEquals("core", created.path("plugin").asText());
        assertEquals("/api/users", created.path("path").asText());
        assertEquals("alice", created.path("detail").path("username").asText());
        assertEquals("admin", created.path("detail").path("role").asText());

        // Sign-in: failed (with the name tried), then successful.
        assertEquals(401, server.api().anonymous().post("/api/auth/login",
                Map.of("username", "alice", "password", WRONG_PASSWORD)).status());
        assertRow(newest("POST /api/auth/login"), "alice", "password", 401);
        assertEquals(401, server.api().anonymous().post("/api/auth/login",
                Map.of("username", "mallory", "password", WRONG_PASSWORD)).status());
        assertRow(newest("POST /api/auth/login"), "mallory", "password", 401);
        ApiClient alice = ApiClient.withToken(server.baseUrl(), login("alice", PASSWORD));
        assertRow(newest("POST /api/auth/login"), "alice", "password", 200);

        // Approve, reject and forget clients.
        assertEquals(200, alice.post("/api/clients/audit-pc-1/approve", Map.of()).status());
        JsonNode approved = newest("POST /api/clients/{uuid}/approve");
        assertRow(approved, "alice", "session", 200);
        assertEquals("audit-pc-1", approved.path("detail").path("uuid").asText());
        assertEquals("Room 1", approved.path("detail").path("name").asText());
        try (FakeAgent pc2 = new FakeAgent("audit-pc-2")) {
            pc2.register(server.wsUrl("audit-pc-2"), "Room 2", Map.of());
            pc2.await("registered", WAIT);
            assertEquals(200, alice.post("/api/clients/audit-pc-2/reject", Map.of()).status());
            assertEquals("audit-pc-2", newest("POST /api/clients/{uuid}/reject").path("detail").path("uuid").asText());
            pc2.awaitClosed(WAIT);
        }
        Poll.until("the rejected client forgotten", WAIT, () -> alice.delete("/api/clients/audit-pc-2").status() == 200);
        assertRow(newest("DELETE /api/clients/{uuid}"), "alice", "session", 200);

        // Enrolment tokens and API tokens, created and revoked.
        ApiResult enrolment = alice.post("/api/enrollment/tokens", Map.of("name", "Lab 2"));
        secrets.add(enrolment.data().path("token").asText());
        JsonNode enrolmentRow = newest("POST /api/enrollment/tokens");
        assertRow(enrolmentRow, "alice", "session", 201);
        assertEquals("Lab 2", enrolmentRow.path("detail").path("name").asText());
        long enrolmentId = enrolment.data().path("id").asLong();
        assertEquals(enrolmentId, enrolmentRow.path("detail").path("id").asLong());
        assertEquals(200, alice.delete("/api/enrollment/tokens/" + enrolmentId).status());
        assertEquals(String.valueOf(enrolmentId), newest("DELETE /api/enrollment/tokens/{id}").path("detail").path("id").asText());

        ApiResult apiToken = alice.post("/api/tokens", Map.of("name", "CI", "role", "admin"));
        String ciToken = apiToken.data().path("token").asText();
        secrets.add(ciToken);
        JsonNode tokenRow = newest("POST /api/tokens");
        assertRow(tokenRow, "alice", "session", 201);
        assertEquals("CI", tokenRow.path("detail").path("name").asText());
        assertEquals("admin", tokenRow.path("detail").path("role").asText());

        // A change made with an API token names the token.
        ApiClient ci = ApiClient.withToken(server.baseUrl(), ciToken);
        assertEquals(200, ci.send("PATCH", "/api/users/alice", Map.of("password", NEW_PASSWORD)).status());
        JsonNode patched = newest("PATCH /api/users/{username}");
        assertRow(patched, "token:CI", "api_token", 200);
        assertEquals("alice", patched.path("detail").path("username").asText());
        assertTrue(patched.path("detail").path("password_changed").asBoolean(), patched.toString());
        assertEquals(401, alice.get("/api/auth/me").status(), "a password change ends the user's sessions");

        // The token revokes itself.
        assertEquals(200, ci.delete("/api/tokens/" + apiToken.data().path("id").asLong()).status());
        JsonNode revoked = newest("DELETE /api/tokens/{id}");
        assertRow(revoked, "token:CI", "api_token", 200);
        assertEquals("CI", revoked.path("detail").path("name").asText());
    }

    @Test
    void commandsPluginRoutesAndOwnChangesAreRecordedWithTheirNamesOnly() {
        server.api().post("/api/users", Map.of("username", "bob", "password", PASSWORD, "role", "admin"));
        if (!"approved".equals(server.api().get("/api/clients/audit-pc-1").data().path("enrollment").asText())) {
            server.api().post("/api/clients/audit-pc-1/approve", Map.of());
            pc1.await(m -> "approved".equals(m.path("status").asText()), WAIT, "the approval");
        }
        ApiClient bob = ApiClient.withToken(server.baseUrl(), login("bob", PASSWORD));

        ApiResult ping = bob.post("/api/clients/audit-pc-1/command", Map.of("command", "ping",
                "params", Map.of("password", COMMAND_SECRET)));
        assertEquals(200, ping.status(), ping.toString());
        JsonNode command = newest("POST /api/clients/{uuid}/command");
        assertRow(command, "bob", "session", 200);
        assertEquals("ping", command.path("detail").path("command").asText());
        assertEquals("audit-pc-1", command.path("detail").path("client").asText());

        ApiResult note = bob.put("/api/notes/audit-pc-1/theme", Map.of("value", COMMAND_SECRET));
        assertEquals(200, note.status(), note.toString());
        JsonNode noteRow = newest("PUT /api/notes/{uuid}/{key}");
        assertRow(noteRow, "bob", "session", 200);
        assertEquals("notes", noteRow.path("plugin").asText(), "the route's plugin");
        assertEquals("theme", noteRow.path("detail").path("key").asText());
        assertEquals("set_note", noteRow.path("detail").path("command").asText());

        assertEquals(200, bob.post("/api/auth/password", Map.of("current_password", PASSWORD,
                "new_password", NEW_PASSWORD)).status());
        assertRow(newest("POST /api/auth/password"), "bob", "session", 200);
        assertEquals(200, bob.post("/api/auth/logout", Map.of()).status());
        assertRow(newest("POST /api/auth/logout"), "bob", "session", 200);

        assertEquals(200, server.api().delete("/api/users/bob").status());
        JsonNode deleted = newest("DELETE /api/users/{username}");
        assertRow(deleted, "admin-token", "admin_token", 200);
        assertEquals("bob", deleted.path("detail").path("username").asText());

        String everything = server.api().get("/api/audit?limit=1000").text();
        for (String secret : secrets) {
            assertFalse(everything.contains(secret), "a secret in the audit log: " + secret);
        }
        assertFalse(everything.contains("ctt_") || everything.contains("cte_") || everything.contains("cts_"),
                "no token of any kind in the audit log");
    }

    @Test
    void refusedChangesAreRecordedButAnonymousOnesAndReadsAreNot() {
        ApiResult viewerToken = server.api().post("/api/tokens", Map.of("name", "Wall display", "role", "viewer"));
        ApiClient viewer = ApiClient.withToken(server.baseUrl(), viewerToken.data().path("token").asText());
        assertEquals(403, viewer.post("/api/users", Map.of("username", "sneaky", "password", PASSWORD)).status());
        JsonNode refused = newest("POST /api/users");
        assertRow(refused, "token:Wall display", "api_token", 403);

        assertEquals(400, server.api().post("/api/users", Map.of("username", "bad name!", "password", PASSWORD)).status());
        assertRow(newest("POST /api/users"), "admin-token", "admin_token", 400);

        long before = audit("?limit=1").get(0).path("id").asLong();
        assertEquals(401, server.api().anonymous().post("/api/users", Map.of("username", "anon", "password", PASSWORD))
                .status());
        assertEquals(401, ApiClient.withToken(server.baseUrl(), "ctt_made_up").delete("/api/users/alice").status());
        assertEquals(400, server.api().anonymous().post("/api/auth/login", "{}").status(), "no attempt: nothing checked");
        assertEquals(200, viewer.get("/api/clients/").status());
        List<JsonNode> newer = audit("?limit=1000").stream().filter(r -> r.path("id").asLong() > before).toList();
        assertEquals(List.of(), newer, "requests nobody authenticated for, and reads, are not recorded");
        assertTrue(audit("?limit=1000").stream().noneMatch(r -> r.path("method").asText().equals("GET")));
    }

    @Test
    void onlyAdminsReadItAndItsFiltersAndPagesWork() {
        ApiResult viewerToken = server.api().post("/api/tokens", Map.of("name", "Reader", "role", "viewer"));
        ApiClient viewer = ApiClient.withToken(server.baseUrl(), viewerToken.data().path("token").asText());
        ApiResult forbidden = viewer.get("/api/audit");
        assertEquals(403, forbidden.status(), forbidden.toString());
        assertEquals("FORBIDDEN", forbidden.code());
        assertEquals(401, server.api().anonymous().get("/api/audit").status());

        Instant start = Instant.now();
        for (int i = 0; i < 5; i++) {
            server.api().post("/api/enrollment/tokens", Map.of("name", "paging " + i));
        }
        List<JsonNode> mine = audit("?action=" + enc("POST /api/enrollment/tokens") + "&from=" + start.minusMillis(1));
        assertEquals(5, mine.size(), mine.toString());
        assertEquals("paging 4", mine.get(0).path("detail").path("name").asText(), "newest first");

        List<JsonNode> page1 = audit("?limit=2&action=" + enc("POST /api/enrollment/tokens") + "&from=" + start.minusMillis(1));
        List<JsonNode> page2 = audit("?limit=2&action=" + enc("POST /api/enrollment/tokens") + "&from=" + start.minusMillis(1)
                + "&before=" + page1.get(1).path("id").asLong());
        assertEquals(List.of("paging 4", "paging 3"), names(page1));
        assertEquals(List.of("paging 2", "paging 1"), names(page2));

        assertTrue(audit("?user=admin-token&limit=1000").stream().allMatch(r -> r.path("user").asText().equals("admin-token")));
        assertTrue(audit("?user=nobody-at-all").isEmpty());
        Instant end = Instant.parse(mine.get(0).path("at").asText()).plusMillis(1);
        assertEquals(5, audit("?action=" + enc("POST /api/enrollment/tokens") + "&from=" + start.minusMillis(1) + "&to=" + end)
                .size());
        assertTrue(audit("?to=" + start.minusSeconds(3600)).isEmpty(), "nothing before the server started");

        Set<String> sentences = new HashSet<>();
        for (String bad : List.of("limit=0", "limit=1001", "limit=ten", "before=-1", "before=abc", "from=yesterday",
                "to=2026-13-01T00:00:00Z", "from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z")) {
            ApiResult result = server.api().get("/api/audit?" + bad);
            assertEquals(400, result.status(), bad + " -> " + result);
            assertEquals("INVALID_REQUEST", result.code(), result.toString());
            assertTrue(result.error().endsWith("."), result.error());
            sentences.add(result.error());
        }
        assertTrue(sentences.size() >= 6, "each bad value says what is wrong: " + sentences);
    }

    private static List<String> names(List<JsonNode> rows) {
        return rows.stream().map(r -> r.path("detail").path("name").asText()).toList();
    }
}
