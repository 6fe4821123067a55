package org.classtop.core.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The {@code api_tokens} table: bearer tokens an admin issues to scripts and monitoring. Only the SHA-256
 * of a token is stored; the token itself is shown once.
 */
public final class ApiTokenRepository {

    /** {@code expiresAt} null: never expires; {@code lastUsedAt} null: never used. */
    public record ApiToken(long id, String name, String tokenHash, String role, Instant createdAt, String createdBy,
                           Instant expiresAt, Instant lastUsedAt, boolean revoked, Instant revokedAt) {
    }

    private static final String COLUMNS =
            "id, name, token_hash, role, created_at, created_by, expires_at, last_used_at, revoked, revoked_at";

    private final PlatformDatabase db;

    public ApiTokenRepository(PlatformDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** Stores a new token (created now); fails with {@link DuplicateKeyException} if the hash exists. */
    public CompletionStage<ApiToken> create(String name, String tokenHash, String role, String createdBy,
                                            Instant expiresAtOrNull) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(role, "role");
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        Instant expires = expiresAtOrNull == null ? null : Instant.ofEpochMilli(expiresAtOrNull.toEpochMilli());
        return db.write(c -> {
            try {
                long id = Sql.insertReturningId(c, "INSERT INTO api_tokens (name, token_hash, role, created_at, created_by,"
                        + " expires_at, revoked) VALUES (?, ?, ?, ?, ?, ?, 0) RETURNING id", ps -> {
                            ps.setString(1, name);
                            ps.setString(2, tokenHash);
                            ps.setString(3, role);
                            ps.setLong(4, now.toEpochMilli());
                            Sql.setText(ps, 5, createdBy);
                            Sql.setMillis(ps, 6, expires);
                        });
                return new ApiToken(id, name, tokenHash, role, now, createdBy, expires, null, false, null);
            } catch (SQLException e) {
                if (Sql.isUniqueViolation(e)) throw new DuplicateKeyException("This API token already exists", e);
                throw e;
            }
        });
    }

    /** Every token, revoked and expired ones included, newest first. */
    public List<ApiToken> list() {
        return Sql.query(db.dataSource(), "SELECT " + COLUMNS + " FROM api_tokens ORDER BY id DESC",
                Sql.NO_PARAMS, ApiTokenRepository::map);
    }

    /** Revokes the token at {@code at} (a second revocation keeps the first time); false if the id is unknown. */
    public CompletionStage<Boolean> revoke(long id, Instant at) {
        return db.write(c -> Sql.update(c, "UPDATE api_tokens SET revoked = 1,"
                + " revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", ps -> {
                    ps.setLong(1, at.toEpochMilli());
                    ps.setLong(2, id);
                }) > 0);
    }

    /** Stores the last use of many tokens in one write (id to time); gives how many rows changed. */
    public CompletionStage<Integer> touch(Map<Long, Instant> lastUsedById) {
        Map<Long, Instant> copy = Map.copyOf(lastUsedById);
        return db.write(c -> {
            int changed = 0;
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")) {
                for (Map.Entry<Long, Instant> e : copy.entrySet()) {
                    ps.setLong(1, e.getValue().toEpochMilli());
                    ps.setLong(2, e.getKey());
                    changed += ps.executeUpdate();
                }
            }
            return changed;
        });
    }

    /** Deletes the tokens revoked or expired before {@code cutoff}; gives how many. */
    public CompletionStage<Integer> deleteEndedBefore(Instant cutoff) {
        return db.write(c -> Sql.update(c, "DELETE FROM api_tokens WHERE (revoked = 1 AND revoked_at < ?)"
                + " OR (expires_at IS NOT NULL AND expires_at < ?)", ps -> {
                    ps.setLong(1, cutoff.toEpochMilli());
                    ps.setLong(2, cutoff.toEpochMilli());
                }));
    }

    private static ApiToken map(ResultSet rs) throws SQLException {
        return new ApiToken(rs.getLong("id"), rs.getString("name"), rs.getString("token_hash"), rs.getString("role"),
                Sql.instant(rs, "created_at"), rs.getString("created_by"), Sql.instant(rs, "expires_at"),
                Sql.instant(rs, "last_used_at"), Sql.flag(rs, "revoked"), Sql.instant(rs, "revoked_at"));
    }
}
