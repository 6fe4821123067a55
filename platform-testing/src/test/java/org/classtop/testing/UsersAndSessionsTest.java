package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Users as the admin UI manages them: roles, password changes, the last admin, and what each bad input gets. */
class UsersAndSessionsTest {
    private static final String PASSWORD = "a long passphrase";

    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension();

    private static void assertError(ApiResult result, int status, String code) {
        assertEquals(status, result.status(), result.toString());
        assertEquals(code, result.code(), result.toString());
        assertFalse(result.error().isBlank(), "a readable sentence");
    }

    private static String login(String username, String password) {
        ApiResult login = SERVER.get().api().anonymous().post("/api/auth/login", Map.of("username", username, "password", password));
        assertEquals(200, login.status(), login.toString());
        return login.data().path("token").asText();
    }

    private static ApiClient as(String token) {
        return ApiClient.withToken(SERVER.get().baseUrl(), token);
    }

    /** An Argon2id PHC string with the given costs, as servers before 2026-12 stored them (19 MiB, 2 passes). */
    private static String argon2id(String password, int memoryKib, int iterations) {
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        org.bouncycastle.crypto.generators.Argon2BytesGenerator generator = new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
        generator.init(new org.bouncycastle.crypto.params.Argon2Parameters.Builder(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
                .withVersion(19).withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(1).withSalt(salt).build());
        byte[] hash = new byte[32];
        generator.generateBytes(password.getBytes(java.nio.charset.StandardCharsets.UTF_8), hash);
        java.util.Base64.Encoder base64 = java.util.Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=1$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
    }

    @Test
    void aSignInStoresAHashOfOlderCostsAgainWithTodaysAndThePasswordStillWorks() throws Exception {
        TestServer server = SERVER.get();
        assertEquals(201, server.api().post("/api/users", Map.of("username", "old-hash", "password", PASSWORD)).status());
        var users = server.server().injector().getInstance(org.classtop.core.storage.UserRepository.class);
        String old = argon2id(PASSWORD, 19 * 1024, 2);
        assertTrue(users.updatePassword("old-hash", old).toCompletableFuture().get());

        assertError(server.api().anonymous().post("/api/auth/login", Map.of("username", "old-hash", "password", "wrong password")),
                401, "INVALID_CREDENTIALS");
        assertEquals(old, users.find("old-hash").orElseThrow().passwordHash(), "a wrong password changes nothing");
        login("old-hash", PASSWORD);
        String now = old;
        for (int i = 0; i < 100 && now.equals(old); i++) {
            Thread.sleep(50); // stored behind the answer
            now = users.find("old-hash").orElseThrow().passwordHash();
        }
        assertTrue(now.startsWith("$argon2id$v=19$m=7168,t=5,p=1$"), now);
        login("old-hash", PASSWORD);
        assertEquals(now, users.find("old-hash").orElseThrow().passwordHash(), "a current hash is kept");
    }

    @Test
    void meGivesACookieSessionItsCsrfTokenButNotABearerCaller() {
        TestServer server = SERVER.get();
        server.api().post("/api/users", Map.of("username", "me-user", "password", PASSWORD, "role", "viewer"));
        ApiResult login = server.api().anonymous().post("/api/auth/login", Map.of("username", "me-user", "password", PASSWORD));
        ApiClient browser = server.api().anonymous().withHeader("Cookie", login.header("Set-Cookie").split(";")[0]);
        ApiResult me = browser.get("/api/auth/me");
        assertEquals("me-user", me.data().path("username").asText());
        assertEquals("viewer", me.data().path("role").asText());
        assertEquals(login.data().path("csrf_token").asText(), me.data().path("csrf_token").asText());
        assertTrue(as(login.data().path("token").asText()).get("/api/auth/me").data().path("csrf_token").isMissingNode());
    }

    @Test
    void changingARoleEndsTheUsersSessionsSoItAppliesAtOnce() {
        TestServer server = SERVER.get();
        assertEquals(201, server.api().post("/api/users", Map.of("username", "promoted", "password", PASSWORD)).status());
        String viewerSession = login("promoted", PASSWORD);
        assertError(as(viewerSession).post("/api/users", Map.of("username", "x1", "password", PASSWORD)), 403, "FORBIDDEN");

        ApiResult changed = server.api().send("PATCH", "/api/users/promoted", Map.of("role", "admin"));
        assertEquals(200, changed.status(), changed.toString());
        assertEquals("admin", changed.data().path("role").asText());
        assertError(as(viewerSession).get("/api/clients/"), 401, "INVALID_TOKEN");
        assertEquals(201, as(login("promoted", PASSWORD)).post("/api/users",
                Map.of("username", "made-by-promoted", "password", PASSWORD)).status());
    }

    @Test
    void badUserChangesGetTheirStatusAndSentence() {
        TestServer server = SERVER.get();
        server.api().post("/api/users", Map.of("username", "target", "password", PASSWORD));
        assertError(server.api().send("PATCH", "/api/users/target", Map.of()), 400, "INVALID_REQUEST");
        assertError(server.api().send("PATCH", "/api/users/target", Map.of("role", "root")), 400, "INVALID_REQUEST");
        assertError(server.api().send("PATCH", "/api/users/target", Map.of("password", "short")), 400, "INVALID_REQUEST");
        assertError(server.api().send("PATCH", "/api/users/nobody", Map.of("role", "viewer")), 404, "USER_NOT_FOUND");
        assertError(server.api().delete("/api/users/nobody"), 404, "USER_NOT_FOUND");
        boolean kept = false;
        for (var user : server.api().get("/api/users").data()) {
            kept |= user.path("username").asText().equals("target") && user.path("role").asText().equals("viewer");
        }
        assertTrue(kept, "the refused changes left the user as it was");
    }

    @Test
    void theLastEnabledAdminCannotBeDemotedDisabledOrDeleted() {
        TestServer server = SERVER.get();
        server.api().post("/api/users", Map.of("username", "second-admin", "password", PASSWORD, "role", "admin"));
        // Make 'second-admin' the only enabled admin besides the bootstrap 'admin', then take 'admin' away.
        assertEquals(200, server.api().send("PATCH", "/api/users/admin", Map.of("disabled", true)).status());
        ApiClient secondAdmin = as(login("second-admin", PASSWORD));
        assertError(secondAdmin.send("PATCH", "/api/users/second-admin", Map.of("role", "viewer")), 409, "CANNOT_CHANGE_SELF");
        assertError(server.api().send("PATCH", "/api/users/second-admin", Map.of("role", "viewer")), 409, "LAST_ADMIN");
        assertError(server.api().send("PATCH", "/api/users/second-admin", Map.of("disabled", true)), 409, "LAST_ADMIN");
        assertError(server.api().delete("/api/users/second-admin"), 409, "LAST_ADMIN");
        assertEquals(200, server.api().send("PATCH", "/api/users/admin", Map.of("disabled", false)).status());
        assertEquals(200, server.api().send("PATCH", "/api/users/second-admin", Map.of("role", "viewer")).status());
    }

    @Test
    void changingMyPasswordNeedsTheCurrentOneAndEndsMyOtherSessions() {
        TestServer server = SERVER.get();
        server.api().post("/api/users", Map.of("username", "changer", "password", PASSWORD));
        String here = login("changer", PASSWORD);
        String elsewhere = login("changer", PASSWORD);

        assertError(as(here).post("/api/auth/password", Map.of("current_password", "wrong password", "new_password",
                "another long passphrase")), 400, "INVALID_REQUEST");
        assertError(as(here).post("/api/auth/password", Map.of("current_password", PASSWORD, "new_password", "short")),
                400, "INVALID_REQUEST");
        ApiResult changed = as(here).post("/api/auth/password", Map.of("current_password", PASSWORD,
                "new_password", "another long passphrase"));
        assertEquals(200, changed.status(), changed.toString());
        assertEquals(200, as(here).get("/api/auth/me").status(), "the session that changed it stays");
        assertError(as(elsewhere).get("/api/auth/me"), 401, "INVALID_TOKEN");
        assertError(server.api().anonymous().post("/api/auth/login", Map.of("username", "changer", "password", PASSWORD)),
                401, "INVALID_CREDENTIALS");
        login("changer", "another long passphrase");

        assertError(server.api().post("/api/auth/password", Map.of("current_password", "x", "new_password",
                "another long passphrase")), 409, "NOT_A_USER");
    }
}
