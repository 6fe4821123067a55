package org.classtop.core.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The {@code enrollment_tokens} table: tokens an admin issues so that agents (or LMS instances)
 * may join. Only the SHA-256 of a token is stored; the token itself is shown once.
 */
public final class EnrollmentTokenRepository {

    /** {@code expiresAt} null: never expires. */
    public record EnrollmentToken(long id, String name, String tokenHash, Instant createdAt, Instant expiresAt,
                                  String createdBy, int usedCount, boolean revoked) {
        /** Not revoked and not expired at {@code now}. */
        public boolean isValidAt(Instant now) {
            return !revoked && (expiresAt == null || expiresAt.isAfter(now));
        }
    }

    private static final String COLUMNS = "id, name, token_hash, created_at, expires_at, created_by, used_count, revoked";

    private final PlatformDatabase db;

    public EnrollmentTokenRepository(PlatformDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /**
     * Stores a new token (created now); the stage gives it with its id, or fails with
     * {@link DuplicateKeyException} if the hash exists.
     */
    public CompletionStage<EnrollmentToken> create(String name, String tokenHash, String createdBy,
                                                   Instant expiresAtOrNull) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        Instant expires = expiresAtOrNull == null ? null : Instant.ofEpochMilli(expiresAtOrNull.toEpochMilli());
        return db.write(c -> {
            try {
                long id = Sql.insertReturningId(c, "INSERT INTO enrollment_tokens (name, token_hash, created_at,"
                        + " expires_at, created_by, used_count, revoked) VALUES (?, ?, ?, ?, ?, 0, 0) RETURNING id", ps -> {
                            ps.setString(1, name);
                            ps.setString(2, tokenHash);
                            ps.setLong(3, now.toEpochMilli());
                            Sql.setMillis(ps, 4, expires);
                            Sql.setText(ps, 5, createdBy);
                        });
                return new EnrollmentToken(id, name, tokenHash, now, expires, createdBy, 0, false);
            } catch (SQLException e) {
                if (Sql.isUniqueViolation(e)) throw new DuplicateKeyException("This enrollment token already exists", e);
                throw e;
            }
        });
    }

    /** Every token, revoked and expired ones included, newest first. */
    public List<EnrollmentToken> list() {
        return Sql.query(db.dataSource(), "SELECT " + COLUMNS + " FROM enrollment_tokens ORDER BY id DESC",
                Sql.NO_PARAMS, EnrollmentTokenRepository::map);
    }

    public Optional<EnrollmentToken> find(long id) {
        return Sql.queryOne(db.dataSource(), "SELECT " + COLUMNS + " FROM enrollment_tokens WHERE id = ?",
                ps -> ps.setLong(1, id), EnrollmentTokenRepository::map);
    }

    /** The token with this hash if it is neither revoked nor expired at {@code now}. */
    public Optional<EnrollmentToken> findValidByHash(String tokenHash, Instant now) {
        return Sql.queryOne(db.dataSource(), "SELECT " + COLUMNS + " FROM enrollment_tokens"
                + " WHERE token_hash = ? AND revoked = 0 AND (expires_at IS NULL OR expires_at > ?)", ps -> {
                    ps.setString(1, tokenHash);
                    ps.setLong(2, now.toEpochMilli());
                }, EnrollmentTokenRepository::map);
    }

    /** Counts one use of the token; false if the id is unknown. */
    public CompletionStage<Boolean> markUsed(long id) {
        return db.write(c -> Sql.update(c, "UPDATE enrollment_tokens SET used_count = used_count + 1 WHERE id = ?",
                ps -> ps.setLong(1, id)) > 0);
    }

    /** Revokes the token; false if the id is unknown (revoking twice is true both times). */
    public CompletionStage<Boolean> revoke(long id) {
        return db.write(c -> Sql.update(c, "UPDATE enrollment_tokens SET revoked = 1 WHERE id = ?",
                ps -> ps.setLong(1, id)) > 0);
    }

    private static EnrollmentToken map(ResultSet rs) throws SQLException {
        return new EnrollmentToken(rs.getLong("id"), rs.getString("name"), rs.getString("token_hash"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "expires_at"), rs.getString("created_by"),
                rs.getInt("used_count"), Sql.flag(rs, "revoked"));
    }
}
