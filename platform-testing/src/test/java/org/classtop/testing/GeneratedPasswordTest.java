package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.classtop.core.auth.AdminBootstrap;
import org.junit.jupiter.api.Test;

/**
 * The admin created at the first start signs in with a generated password: sign-in and {@code /api/auth/me}
 * say so ({@code password_generated}), so the UI asks for a password of one's own, until it is changed.
 */
class GeneratedPasswordTest {
    private static final Pattern PRINTED = Pattern.compile("sign in as 'admin' with the password\\s+(\\S+)");

    @Test
    void theGeneratedPasswordIsFlaggedUntilTheAdminChoosesOne() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.err;
        TestServer server;
        System.setErr(new PrintStream(new Tee(original, printed), true, StandardCharsets.UTF_8));
        try {
            server = TestServer.builder().start();
            // printed once the admin is stored, which goes on in the background after the start
            server.server().injector().getInstance(AdminBootstrap.class).awaitAdmin();
        } finally {
            System.setErr(original);
        }
        try (server) {
            Matcher password = PRINTED.matcher(printed.toString(StandardCharsets.UTF_8));
            assertTrue(password.find(), "the first start prints the admin's password");

            ApiResult login = server.api().anonymous().post("/api/auth/login", Map.of("username", "admin", "password", password.group(1)));
            assertEquals(200, login.status(), login.toString());
            assertTrue(login.data().path("password_generated").asBoolean(), login.toString());
            ApiClient admin = server.api().anonymous().withHeader("Authorization", "Bearer " + login.data().path("token").asText());
            assertTrue(admin.get("/api/auth/me").data().path("password_generated").asBoolean());

            ApiResult changed = admin.post("/api/auth/password",
                    Map.of("current_password", password.group(1), "new_password", "the admin's own passphrase"));
            assertEquals(200, changed.status(), changed.toString());
            assertFalse(admin.get("/api/auth/me").data().has("password_generated"));
            ApiResult again = server.api().anonymous().post("/api/auth/login",
                    Map.of("username", "admin", "password", "the admin's own passphrase"));
            assertEquals(200, again.status(), again.toString());
            assertFalse(again.data().has("password_generated"), again.toString());

            // a user added later never has the flag
            assertEquals(201, server.api().post("/api/users", Map.of("username", "teacher1",
                    "password", "a long passphrase", "role", "viewer")).status());
            ApiResult teacher = server.api().anonymous().post("/api/auth/login",
                    Map.of("username", "teacher1", "password", "a long passphrase"));
            assertFalse(teacher.data().has("password_generated"), teacher.toString());
        }
    }

    /** Writes to both streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
