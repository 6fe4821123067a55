package org.classtop.core.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The {@code api_sessions} table: bearer tokens handed out at login. Only the SHA-256 of a token is
 * stored ({@link Hashes#sha256Hex(String)}).
 */
public final class SessionRepository {

    public record ApiSession(long id, String tokenHash, String username, String role, Instant createdAt,
                             Instant expiresAt, Instant lastUsedAt) {}

    private static final String COLUMNS = "id, token_hash, username, role, created_at, expires_at, last_used_at";

    private final PlatformDatabase db;

    public SessionRepository(PlatformDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** Stores a new session; the stage fails with {@link DuplicateKeyException} if the hash exists. */
    public CompletionStage<ApiSession> create(String tokenHash, String username, String role, Instant expiresAt) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        Instant expires = Instant.ofEpochMilli(expiresAt.toEpochMilli());
        return db.write(c -> {
            try {
                long id = Sql.insertReturningId(c, "INSERT INTO api_sessions (token_hash, username, role, created_at,"
                        + " expires_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id", ps -> {
                            ps.setString(1, tokenHash);
                            ps.setString(2, username);
                            ps.setString(3, role);
                            ps.setLong(4, now.toEpochMilli());
                            ps.setLong(5, expires.toEpochMilli());
                            ps.setLong(6, now.toEpochMilli());
                        });
                return new ApiSession(id, tokenHash, username, role, now, expires, now);
            } catch (SQLException e) {
                if (Sql.isUniqueViolation(e)) throw new DuplicateKeyException("This session token already exists", e);
                throw e;
            }
        });
    }

    /** The session with this token hash if it has not expired at {@code now}. */
    public Optional<ApiSession> findValid(String tokenHash, Instant now) {
        return Sql.queryOne(db.dataSource(), "SELECT " + COLUMNS + " FROM api_sessions"
                + " WHERE token_hash = ? AND expires_at > ?", ps -> {
                    ps.setString(1, tokenHash);
                    ps.setLong(2, now.toEpochMilli());
                }, SessionRepository::map);
    }

    /** Ends the session (logout); false if there was none. */
    public CompletionStage<Boolean> delete(String tokenHash) {
        return db.write(c -> Sql.update(c, "DELETE FROM api_sessions WHERE token_hash = ?",
                ps -> ps.setString(1, tokenHash)) > 0);
    }

    /** Ends every session of a user (password change, user removed); gives how many. */
    public CompletionStage<Integer> deleteForUser(String username) {
        return db.write(c -> Sql.update(c, "DELETE FROM api_sessions WHERE username = ?",
                ps -> ps.setString(1, username)));
    }

    /** Ends every session of a user but one (after a password change, the one that changed it stays). */
    public CompletionStage<Integer> deleteForUserExcept(String username, String keptTokenHash) {
        return db.write(c -> Sql.update(c, "DELETE FROM api_sessions WHERE username = ? AND token_hash <> ?", ps -> {
            ps.setString(1, username);
            ps.setString(2, keptTokenHash == null ? "" : keptTokenHash);
        }));
    }

    /** Records a use of the session; false if there is none. */
    public CompletionStage<Boolean> touch(String tokenHash, Instant usedAt) {
        long at = (usedAt != null ? usedAt : Instant.now()).toEpochMilli();
        return db.write(c -> Sql.update(c, "UPDATE api_sessions SET last_used_at = ? WHERE token_hash = ?", ps -> {
            ps.setLong(1, at);
            ps.setString(2, tokenHash);
        }) > 0);
    }

    /** Deletes the sessions expired at {@code now}; gives how many. */
    public CompletionStage<Integer> deleteExpired(Instant now) {
        return db.write(c -> Sql.update(c, "DELETE FROM api_sessions WHERE expires_at <= ?",
                ps -> ps.setLong(1, now.toEpochMilli())));
    }

    private static ApiSession map(ResultSet rs) throws SQLException {
        return new ApiSession(rs.getLong("id"), rs.getString("token_hash"), rs.getString("username"),
                rs.getString("role"), Sql.instant(rs, "created_at"), Sql.instant(rs, "expires_at"),
                Sql.instant(rs, "last_used_at"));
    }
}
