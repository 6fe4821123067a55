package org.classtop.core.auth;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.classtop.api.server.Caller;
import org.classtop.api.server.Role;
import org.classtop.core.storage.Hashes;
import org.classtop.core.storage.SessionRepository;

/**
 * Login sessions. The token is shown once (cookie and login answer) and stored only as its SHA-256;
 * a small cache keeps the hot path free of database reads.
 */
@Singleton
public final class SessionService {
    public static final Duration LIFETIME = Duration.ofDays(7);

    public record NewSession(String token, String csrfToken, Caller caller, Instant expiresAt) {
    }

    private record Cached(Caller caller, Instant expiresAt) {
    }

    private final SessionRepository repository;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    @Inject
    public SessionService(SessionRepository repository) {
        this.repository = repository;
    }

    /** Blocking: call from a worker thread. */
    public NewSession create(String username, Role role) {
        String token = Secrets.newToken("cts_");
        Instant expiresAt = Instant.now().plus(LIFETIME);
        String hash = Hashes.sha256Hex(token);
        repository.create(hash, username, role.name().toLowerCase(Locale.ROOT), expiresAt).toCompletableFuture().join();
        Caller caller = new Caller(username, role);
        cache.put(hash, new Cached(caller, expiresAt));
        return new NewSession(token, csrfFor(token), caller, expiresAt);
    }

    /** The session's caller, if the token is a live session. May read the database (worker threads only). */
    public Optional<Caller> lookup(String token) {
        String hash = Hashes.sha256Hex(token);
        Instant now = Instant.now();
        Cached cached = cache.get(hash);
        if (cached == null) {
            cached = repository.findValid(hash, now)
                    .map(s -> new Cached(new Caller(s.username(), Role.valueOf(s.role().toUpperCase(Locale.ROOT))), s.expiresAt()))
                    .orElse(null);
            if (cached == null) {
                return Optional.empty();
            }
            cache.put(hash, cached);
        }
        if (cached.expiresAt().isBefore(now)) {
            cache.remove(hash);
            return Optional.empty();
        }
        return Optional.of(cached.caller());
    }

    /** Whether {@link #lookup} answers the token from memory, without reading the database. */
    public boolean isCached(String token) {
        return cache.containsKey(Hashes.sha256Hex(token));
    }

    public void revoke(String token) {
        String hash = Hashes.sha256Hex(token);
        cache.remove(hash);
        repository.delete(hash).toCompletableFuture().join();
    }

    /** Forgets every cached session of a user (after the user and their sessions were deleted). */
    public void forgetUser(String username) {
        cache.values().removeIf(c -> c.caller().name().equals(username));
    }

    /**
     * Ends the sessions of a user, all of them or all but {@code keptToken} (after a role change, a password
     * change or disabling). Blocking: call from a worker thread.
     */
    public void endSessionsOf(String username, String keptToken) {
        String keptHash = keptToken == null ? null : Hashes.sha256Hex(keptToken);
        repository.deleteForUserExcept(username, keptHash).toCompletableFuture().join();
        cache.entrySet().removeIf(e -> e.getValue().caller().name().equals(username) && !e.getKey().equals(keptHash));
    }

    /** The CSRF token of a session: derived from the session token, so nothing extra is stored. */
    public static String csrfFor(String token) {
        return Hashes.sha256Hex("csrf:" + token).substring(0, 32);
    }
}
