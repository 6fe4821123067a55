package org.classtop.core.auth;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.Caller;
import org.classtop.api.server.Role;
import org.classtop.core.Timers;
import org.classtop.core.storage.ApiTokenRepository;
import org.classtop.core.storage.ApiTokenRepository.ApiToken;
import org.classtop.core.storage.Hashes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API tokens for scripts and monitoring (SPEC section 8): {@code ctt_...}, 256-bit random, shown once and
 * stored only as SHA-256. Every token is held in memory, so authenticating reads no database; revoking
 * applies at once. A use is noted in memory and written at most once a minute per token, all in one write.
 */
@Singleton
public final class ApiTokenService implements AutoCloseable {
    public static final String PREFIX = "ctt_";
    /** Tokens neither revoked nor expired, at most. */
    public static final int MAX_LIVE = 1000;
    public static final Duration MAX_LIFETIME = Duration.ofDays(5 * 365 + 1);
    /** The caller name of a token: never a user name, which cannot hold ':'. */
    public static final String CALLER_PREFIX = "token:";
    private static final long LAST_USED_FLUSH_MILLIS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(ApiTokenService.class);

    /** One token as held in memory; what changes after creation is volatile. */
    private static final class Held {
        final ApiToken stored;
        final Caller caller;
        volatile Instant revokedAt;
        volatile Instant lastUsedAt;
        volatile Instant lastUsedWritten;

        Held(ApiToken stored) {
            this.stored = stored;
            this.caller = new Caller(CALLER_PREFIX + stored.name(), Role.valueOf(stored.role().toUpperCase(Locale.ROOT)));
            this.revokedAt = stored.revoked() ? (stored.revokedAt() != null ? stored.revokedAt() : Instant.EPOCH) : null;
            this.lastUsedAt = stored.lastUsedAt();
            this.lastUsedWritten = stored.lastUsedAt();
        }

        boolean expiredAt(Instant now) {
            return stored.expiresAt() != null && !now.isBefore(stored.expiresAt());
        }

        boolean liveAt(Instant now) {
            return revokedAt == null && !expiredAt(now);
        }
    }

    private final ApiTokenRepository repository;
    private final Timers timers;
    private final Map<String, Held> byHash = new ConcurrentHashMap<>();
    private final Map<Long, Held> byId = new ConcurrentHashMap<>();
    private ScheduledFuture<?> flusher;

    @Inject
    public ApiTokenService(ApiTokenRepository repository, Timers timers) {
        this.repository = repository;
        this.timers = timers;
    }

    /** Reads every token into memory and starts writing uses behind. Call once at start. */
    public void load() {
        for (ApiToken token : repository.list()) {
            hold(token);
        }
        flusher = timers.every(this::writeLastUses, LAST_USED_FLUSH_MILLIS);
    }

    private void hold(ApiToken token) {
        Held held = new Held(token);
        byHash.put(token.tokenHash(), held);
        byId.put(token.id(), held);
    }

    /**
     * Creates a token; its clear text is in the answer once and never again. Synchronized so that the bound
     * on live tokens holds under concurrent requests. Blocking (worker thread).
     */
    public synchronized Map<String, Object> create(String name, Role role, Duration expiresIn, String createdBy) {
        Instant now = Instant.now();
        long live = byId.values().stream().filter(t -> t.liveAt(now)).count();
        if (live >= MAX_LIVE) {
            throw ApiException.conflict("TOO_MANY_TOKENS", "There are already " + MAX_LIVE
                    + " API tokens that are neither revoked nor expired; revoke one before creating another.");
        }
        String clear = Secrets.newToken(PREFIX);
        Instant expiresAt = expiresIn == null ? null : now.plus(expiresIn);
        ApiToken token = repository.create(name, Hashes.sha256Hex(clear), role.name().toLowerCase(Locale.ROOT), createdBy,
                expiresAt).toCompletableFuture().join();
        hold(token);
        Map<String, Object> view = view(byId.get(token.id()));
        view.put("token", clear);
        return view;
    }

    /** Every token, newest first, without its secret or hash. */
    public List<Map<String, Object>> list() {
        return byId.values().stream().sorted(Comparator.comparingLong((Held t) -> t.stored.id()).reversed())
                .map(ApiTokenService::view).toList();
    }

    /** Revokes a token; requests presenting it fail from now on. Revoking twice is fine. Blocking (worker thread). */
    public Map<String, Object> revoke(long id) {
        Held held = byId.get(id);
        if (held == null) {
            throw ApiException.notFound("TOKEN_NOT_FOUND", "No API token with id " + id + " exists.");
        }
        Instant now = Instant.now();
        if (held.revokedAt == null) {
            held.revokedAt = now; // refused at once, before the write commits
        }
        repository.revoke(id, now).toCompletableFuture().join();
        return view(held);
    }

    /** The token's caller; notes the use. Memory only (safe on any thread). */
    public Caller authenticate(String token) {
        Held held = byHash.get(Hashes.sha256Hex(token));
        if (held == null) {
            throw new ApiException(401, "INVALID_TOKEN", "The API token is not valid.");
        }
        Instant now = Instant.now();
        if (held.revokedAt != null) {
            throw new ApiException(401, "INVALID_TOKEN", "The API token '" + held.stored.name()
                    + "' was revoked; ask an administrator for a new one.");
        }
        if (held.expiredAt(now)) {
            throw new ApiException(401, "INVALID_TOKEN", "The API token '" + held.stored.name() + "' expired at "
                    + held.stored.expiresAt() + "; ask an administrator for a new one.");
        }
        held.lastUsedAt = now;
        return held.caller;
    }

    /** Whether the token still authenticates (neither revoked nor expired); does not count as a use. */
    public boolean isValid(String token) {
        Held held = token == null ? null : byHash.get(Hashes.sha256Hex(token));
        return held != null && held.liveAt(Instant.now());
    }

    /** Writes the uses noted since the last time, all in one write. */
    void writeLastUses() {
        Map<Long, Instant> changed = new HashMap<>();
        for (Held held : byId.values()) {
            Instant used = held.lastUsedAt;
            if (used != null && !used.equals(held.lastUsedWritten)) {
                changed.put(held.stored.id(), used);
                held.lastUsedWritten = used;
            }
        }
        if (!changed.isEmpty()) {
            repository.touch(changed).exceptionally(e -> {
                LOG.warn("Could not store when {} API tokens were last used: {}", changed.size(), e.toString());
                return 0;
            });
        }
    }

    /**
     * Forgets the tokens revoked or expired before {@code cutoff} (housekeeping), in memory and in the
     * database; gives how many.
     */
    public CompletionStage<Integer> deleteEndedBefore(Instant cutoff) {
        boolean any = byId.values().removeIf(t -> endedBefore(t, cutoff));
        if (!any) {
            return CompletableFuture.completedFuture(0);
        }
        byHash.values().removeIf(t -> endedBefore(t, cutoff));
        return repository.deleteEndedBefore(cutoff);
    }

    private static boolean endedBefore(Held t, Instant cutoff) {
        Instant revokedAt = t.revokedAt;
        return (revokedAt != null && revokedAt.isBefore(cutoff))
                || (t.stored.expiresAt() != null && t.stored.expiresAt().isBefore(cutoff));
    }

    private static Map<String, Object> view(Held held) {
        ApiToken token = held.stored;
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", token.id());
        view.put("name", token.name());
        view.put("role", token.role());
        view.put("created_at", token.createdAt());
        view.put("created_by", token.createdBy());
        view.put("expires_at", token.expiresAt());
        view.put("last_used_at", held.lastUsedAt);
        view.put("revoked", held.revokedAt != null);
        return view;
    }

    /** Stops the timer and queues the uses not yet written (the database writes them before it closes). */
    @Override
    public void close() {
        if (flusher != null) {
            flusher.cancel(false);
        }
        writeLastUses();
    }
}
