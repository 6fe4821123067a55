package org.classtop.core.auth;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.classtop.core.http.RetryLaterException;

/**
 * Argon2id ({@link OffHeapArgon2}), stored as a PHC string ({@code $argon2id$v=19$m=7168,t=5,p=1$<salt>$<hash>},
 * base64 without padding) as password4j wrote them before: a check reads the parameters from the stored string, so
 * older hashes and other costs still verify ({@link #isCurrent} tells the sign-in to store a new one).
 *
 * <p>The costs are the last of OWASP's five equivalent minimum settings (46 MiB x 1 pass, 19 x 2, 12 x 3, 9 x 4,
 * 7 MiB x 5 passes, 1 lane): the same work for an attacker, the least memory for the server. Until 2026-12 it was
 * 19 MiB x 2, whose 19 MiB per check went to the old generation and stayed there: an idle server that someone had
 * signed in to kept about 20 MB more heap; the 7 MiB are outside the heap and freed after each check since
 * 2026-12-05 ({@link OffHeapArgon2}). Each hash or check takes about 60 ms; at most {@value #MAX_AT_ONCE} run at
 * once server-wide; a caller waits up to {@link #MAX_WAIT} for its turn, then gets 503 {@code SERVER_BUSY} with
 * Retry-After.
 */
@Singleton
public final class PasswordHasher {
    static final int MAX_AT_ONCE = 4;
    static final Duration MAX_WAIT = Duration.ofSeconds(1);

    static final int MEMORY_KIB = 7 * 1024;
    static final int ITERATIONS = 5;
    static final int LANES = 1;
    /** What a hash made now starts with: a stored one that does not is made again at its user's next sign-in. */
    private static final String CURRENT = "$argon2id$v=" + OffHeapArgon2.VERSION_13 + "$m=" + MEMORY_KIB
            + ",t=" + ITERATIONS + ",p=" + LANES + "$";
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    /**
     * The costs a stored hash may ask for: beyond them (a damaged row) a check answers false rather than
     * filling the heap, which the server's start script answers by exiting.
     */
    static final int MAX_MEMORY_KIB = 64 * 1024;
    static final int MAX_ITERATIONS = 10;
    static final int MAX_LANES = 16;

    private static final Pattern PHC = Pattern.compile(
            "\\$(argon2id|argon2i|argon2d)\\$(?:v=(\\d{1,3})\\$)?m=(\\d{1,9}),t=(\\d{1,9}),p=(\\d{1,9})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();

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
        return inTurn(() -> newHash(password));
    }

    /** Whether {@code hash} was made with today's costs (false for older or other ones, and for null). */
    public boolean isCurrent(String hash) {
        return hash != null && hash.startsWith(CURRENT);
    }

    public boolean matches(String password, String hash) {
        if (password == null || hash == null) {
            return false;
        }
        return inTurn(() -> {
            checks.incrementAndGet();
            Stored stored = Stored.parse(hash);
            return stored != null && MessageDigest.isEqual(stored.argon2(password), stored.hash());
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
            hash = newHash(Secrets.newPassword(24));
            dummyHash = hash;
        }
        return hash;
    }

    /** Password checks run so far, real and dummy. */
    public long checks() {
        return checks.get();
    }

    private static String newHash(String password) {
        byte[] salt = Secrets.randomBytes(SALT_BYTES);
        byte[] hash = OffHeapArgon2.hash(OffHeapArgon2.ARGON2_ID, OffHeapArgon2.VERSION_13, MEMORY_KIB, ITERATIONS, LANES,
                password.getBytes(StandardCharsets.UTF_8), salt, null, null, HASH_BYTES);
        return CURRENT + BASE64.encodeToString(salt) + "$" + BASE64.encodeToString(hash);
    }

    /** The parameters, salt and hash of a stored PHC string. */
    private record Stored(int type, int version, int memoryKib, int iterations, int lanes, byte[] salt, byte[] hash) {
        /** The hash of {@code password} with these parameters, of this hash's length. */
        byte[] argon2(String password) {
            return OffHeapArgon2.hash(type, version, memoryKib, iterations, lanes,
                    password.getBytes(StandardCharsets.UTF_8), salt, null, null, hash.length);
        }

        /** Null for anything but an Argon2 string within the costs allowed, so a check of it answers false. */
        static Stored parse(String phc) {
            Matcher m = PHC.matcher(phc);
            if (!m.matches()) {
                return null;
            }
            int type = switch (m.group(1)) {
                case "argon2id" -> OffHeapArgon2.ARGON2_ID;
                case "argon2i" -> OffHeapArgon2.ARGON2_I;
                default -> OffHeapArgon2.ARGON2_D;
            };
            // Without "v=" the string is of Argon2's first version (as the reference implementation reads it).
            int version = m.group(2) == null ? OffHeapArgon2.VERSION_10 : Integer.parseInt(m.group(2));
            int memory = Integer.parseInt(m.group(3));
            int iterations = Integer.parseInt(m.group(4));
            int lanes = Integer.parseInt(m.group(5));
            if ((version != OffHeapArgon2.VERSION_10 && version != OffHeapArgon2.VERSION_13)
                    || lanes < 1 || lanes > MAX_LANES || memory < 8 * lanes || memory > MAX_MEMORY_KIB
                    || iterations < 1 || iterations > MAX_ITERATIONS) {
                return null;
            }
            byte[] salt;
            byte[] hash;
            try {
                salt = Base64.getDecoder().decode(m.group(6));
                hash = Base64.getDecoder().decode(m.group(7));
            } catch (IllegalArgumentException e) {
                return null; // a length no base64 text has
            }
            if (salt.length < 8 || hash.length < 4) {
                return null;
            }
            return new Stored(type, version, memory, iterations, lanes, salt, hash);
        }
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
