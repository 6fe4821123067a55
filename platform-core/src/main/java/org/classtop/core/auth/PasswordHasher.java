package org.classtop.core.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.classtop.core.http.RetryLaterException;

/**
 * Argon2id through password4j (OWASP's minimum: 19 MiB, 2 passes, 1 lane). Each hash or check holds
 * 19 MiB for about 60 ms, so at most {@value #MAX_AT_ONCE} run at once server-wide; a caller waits up
 * to {@link #MAX_WAIT} for its turn, then gets 503 {@code SERVER_BUSY} with Retry-After.
 */
@Singleton
public final class PasswordHasher {
    /**
     * Made at the first password use, not at start: password4j keeps a 19 MiB block template per
     * Argon2 instance, which a server that nobody signs in to (or a restart) should not carry.
     */
    private static final class Argon2Holder {
        static final Argon2Function ARGON2 = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID, 19);
    }
    static final int MAX_AT_ONCE = 4;
    static final Duration MAX_WAIT = Duration.ofSeconds(1);

    private final Semaphore turns;
    private final Duration maxWait;
    /** Checked instead of a real hash for unknown or disabled users, so the time taken tells nothing; made at first use. */
    private volatile String dummyHash;
    private final AtomicLong checks = new AtomicLong();

    public PasswordHasher() {
        this(new Semaphore(MAX_AT_ONCE, true), MAX_WAIT);
    }

    PasswordHasher(Semaphore turns, Duration maxWait) {
        this.turns = turns;
        this.maxWait = maxWait;
    }

    public String hash(String password) {
        return inTurn(() -> Password.hash(password).addRandomSalt(16).with(Argon2Holder.ARGON2).getResult());
    }

    public boolean matches(String password, String hash) {
        if (password == null || hash == null) {
            return false;
        }
        return inTurn(() -> {
            checks.incrementAndGet();
            try {
                return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    /** For a user that does not exist or may not sign in: the same work as {@link #matches}, always false. */
    public boolean matchesNoUser(String password) {
        matches(password == null ? "" : password, dummyHash());
        return false;
    }

    private String dummyHash() {
        String hash = dummyHash;
        if (hash == null) {
            // Racing first callers may each make one; any of them serves.
            hash = Password.hash(Secrets.newPassword(24)).addRandomSalt(16).with(Argon2Holder.ARGON2).getResult();
            dummyHash = hash;
        }
        return hash;
    }

    /** Password checks run so far, real and dummy. */
    public long checks() {
        return checks.get();
    }

    private <T> T inTurn(Supplier<T> work) {
        boolean acquired;
        try {
            acquired = turns.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new RetryLaterException(503, "SERVER_BUSY",
                    "The server is checking too many passwords at once; try again in a moment.", 1);
        }
        try {
            return work.get();
        } finally {
            turns.release();
        }
    }
}
