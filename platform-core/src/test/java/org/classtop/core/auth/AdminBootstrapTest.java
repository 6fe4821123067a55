package org.classtop.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.ApiResponse;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.http.RetryLaterException;
import org.classtop.core.routes.AuthRoutes;
import org.classtop.core.storage.PlatformDatabase;
import org.classtop.core.storage.SessionRepository;
import org.classtop.core.storage.UserRepository;
import org.classtop.json.JsonMappers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The first start's admin is hashed and stored in the background; a sign-in arriving before that waits for it
 * (POST /api/auth/login's handler), and a bootstrap that failed makes sign-ins fail at once with a clear error.
 * The bootstrap's hasher has no free turn until the test gives one, so the test decides when the hash runs.
 */
class AdminBootstrapTest {
    @TempDir
    Path dataDir;

    private PlatformDatabase db;
    private UserRepository users;
    private final Semaphore turns = new Semaphore(0);
    private AdminBootstrap bootstrap;

    @BeforeEach
    void open() {
        db = PlatformDatabase.open(dataDir, null);
        db.migrate("core", getClass().getClassLoader());
        users = new UserRepository(db);
    }

    @AfterEach
    void close() throws InterruptedException {
        turns.release(PasswordHasher.MAX_AT_ONCE);
        if (bootstrap != null) {
            bootstrap.close();
        }
        db.close();
    }

    private AdminBootstrap bootstrap(Duration hashWait, Duration signInWait) {
        bootstrap = new AdminBootstrap(users, new PasswordHasher(turns, hashWait),
                new GeneratedPassword(ServerConfig.forTests(dataDir)), signInWait);
        return bootstrap;
    }

    private AuthRoutes.Login login() {
        ServerConfig config = ServerConfig.forTests(dataDir);
        return new AuthRoutes.Login(bootstrap, users, new PasswordHasher(turns, Duration.ofSeconds(10)),
                new SessionService(new SessionRepository(db)), new LoginRateLimiter(), config, new GeneratedPassword(config));
    }

    private static ApiRequest signIn(String username, String password) {
        ApiRequest request = mock(ApiRequest.class);
        when(request.body(any())).thenAnswer(call -> JsonMappers.create()
                .convertValue(Map.of("username", username, "password", password), (Class<?>) call.getArgument(0)));
        when(request.remoteAddress()).thenReturn("10.0.0.1");
        return request;
    }

    @Test
    void aSignInRacingTheFirstStartWaitsForTheAdminAndSucceeds() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            String password = bootstrap(Duration.ofSeconds(10), AdminBootstrap.MAX_WAIT).ensureAdmin();
            AuthRoutes.Login login = login();
            CompletableFuture<Object> signedIn = CompletableFuture.supplyAsync(() -> login.handle(signIn("admin", password)));
            Thread.sleep(300);
            assertFalse(signedIn.isDone(), "the sign-in waits while the admin is being hashed");
            assertEquals(0, users.count());
            assertFalse(printed.toString(StandardCharsets.UTF_8).contains(password), "the password is printed only once it works");

            turns.release(PasswordHasher.MAX_AT_ONCE);
            ApiResponse response = (ApiResponse) signedIn.get(10, TimeUnit.SECONDS);
            assertEquals(200, response.status());
            assertEquals(true, ((Map<?, ?>) response.data()).get("password_generated"));
            assertTrue(printed.toString(StandardCharsets.UTF_8).contains(password));
        } finally {
            System.setErr(original);
        }

        bootstrap.close();
        assertNull(bootstrap(Duration.ofSeconds(10), AdminBootstrap.MAX_WAIT).ensureAdmin(), "the next start has a user already");
        bootstrap.awaitAdmin();
    }

    @Test
    void aSignInWaitsBoundedThen503() {
        bootstrap(Duration.ofSeconds(10), Duration.ofMillis(200)).ensureAdmin();
        RetryLaterException busy = assertThrows(RetryLaterException.class, () -> login().handle(signIn("admin", "whatever")));
        assertEquals(503, busy.status());
        assertEquals("SERVER_BUSY", busy.code());
    }

    @Test
    void whenTheAdminCannotBeStoredOneErrorIsLoggedAndSignInsFailClearly() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(AdminBootstrap.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            bootstrap(Duration.ofMillis(50), AdminBootstrap.MAX_WAIT).ensureAdmin(); // no turn comes: the hash fails
            long start = System.nanoTime();
            ApiException failed = assertThrows(ApiException.class, () -> login().handle(signIn("admin", "whatever")));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "no waiting for the full bound");
            assertEquals(503, failed.status());
            assertEquals("ADMIN_NOT_CREATED", failed.code());
            assertTrue(failed.getMessage().contains("restart"), failed.getMessage());
            bootstrap.close();
            assertEquals(1, logged.list.stream().filter(e -> e.getLevel() == Level.ERROR).count(), logged.list.toString());
            assertEquals(0, users.count());
        } finally {
            log.detachAppender(logged);
        }
    }
}
