package org.classtop.core.auth;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.classtop.api.server.ApiException;
import org.classtop.core.AfterListening;
import org.classtop.core.http.RetryLaterException;
import org.classtop.core.storage.UserRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the first start (no users yet) creates the user {@code admin} with a random password, prints
 * it once to the console, and keeps only its hash. The hash (about 85 ms) is made on a background thread
 * once the server listens (not on the start's core time); the password is printed only once the user is
 * stored, and sign-ins wait for that ({@link #awaitAdmin()}), so the printed password works from the first try.
 */
@Singleton
public final class AdminBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
    static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final GeneratedPassword generated;
    private final Duration maxWait;
    /** Done once the first admin is stored or none was needed; failed when storing it failed. */
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile Thread worker;
    private final AfterListening afterListening;

    @Inject
    public AdminBootstrap(UserRepository users, PasswordHasher hasher, GeneratedPassword generated,
                          AfterListening afterListening) {
        this(users, hasher, generated, MAX_WAIT, afterListening);
    }

    /** For tests: the hash begins at once. */
    AdminBootstrap(UserRepository users, PasswordHasher hasher, GeneratedPassword generated, Duration maxWait) {
        this(users, hasher, generated, maxWait, opened());
    }

    private AdminBootstrap(UserRepository users, PasswordHasher hasher, GeneratedPassword generated, Duration maxWait,
                           AfterListening afterListening) {
        this.users = users;
        this.hasher = hasher;
        this.generated = generated;
        this.maxWait = maxWait;
        this.afterListening = afterListening;
    }

    private static AfterListening opened() {
        AfterListening gate = new AfterListening();
        gate.open();
        return gate;
    }

    /**
     * Starts creating {@code admin} on the thread {@code classtop-admin-bootstrap} when no user exists, and
     * returns at once.
     *
     * @return the generated password (it works once stored, see {@link #awaitAdmin()}), or null when users
     *         already exist
     */
    public String ensureAdmin() {
        if (users.count() > 0) {
            done.complete(null);
            return null;
        }
        String password = Secrets.newPassword(20);
        Thread thread = new Thread(() -> create(password), "classtop-admin-bootstrap");
        thread.setDaemon(true);
        worker = thread;
        afterListening.run(thread::start);
        return password;
    }

    private void create(String password) {
        try {
            users.create("admin", hasher.hash(password), "admin").toCompletableFuture().join();
            generated.mark("admin");
        } catch (RuntimeException | Error e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            LOG.error("First start: creating the user 'admin' failed ({}), so nobody can sign in until the server is restarted",
                    cause.toString());
            done.completeExceptionally(cause);
            return;
        }
        LOG.info("First start: created the user 'admin'");
        System.err.println("""
                ============================================================
                 First start: sign in as 'admin' with the password
                     %s
                 It is shown only this once and stored only as a hash.
                ============================================================""".formatted(password));
        done.complete(null);
    }

    /**
     * Returns once the first start's {@code admin} is stored (at once when none was needed): a sign-in must
     * not run before, it would not find the user. Waits at most {@link #MAX_WAIT}.
     *
     * @throws RetryLaterException 503 {@code SERVER_BUSY} when the admin is not stored in time
     * @throws ApiException        503 {@code ADMIN_NOT_CREATED} when storing it failed
     */
    public void awaitAdmin() {
        try {
            done.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ApiException(503, "ADMIN_NOT_CREATED",
                    "The server could not create its first user 'admin' (see its log); restart it to try again.");
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new RetryLaterException(503, "SERVER_BUSY", "The server is still creating its first user; try again in a moment.", 1);
        }
    }

    /** At stop: lets a bootstrap still running finish (for at most {@link #MAX_WAIT}), so it does not write to a closed database. */
    public void close() throws InterruptedException {
        Thread thread = worker;
        if (thread != null) {
            thread.join(maxWait.toMillis());
        }
    }
}
