package org.classtop.core.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The {@code users} table: people who log in to the web UI. Passwords arrive already hashed. */
public final class UserRepository {

    public static final String ADMIN = "admin";
    public static final String VIEWER = "viewer";

    public record User(long id, String username, String passwordHash, String role, Instant createdAt,
                       boolean disabled) {}

    private static final String COLUMNS = "id, username, password_hash, role, created_at, disabled";

    private final PlatformDatabase db;

    public UserRepository(PlatformDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    public Optional<User> find(String username) {
        return Sql.queryOne(db.dataSource(), "SELECT " + COLUMNS + " FROM users WHERE username = ?",
                ps -> ps.setString(1, username), UserRepository::map);
    }

    public Optional<User> findById(long id) {
        return Sql.queryOne(db.dataSource(), "SELECT " + COLUMNS + " FROM users WHERE id = ?",
                ps -> ps.setLong(1, id), UserRepository::map);
    }

    /** Every user, by username. */
    public List<User> list() {
        return Sql.query(db.dataSource(), "SELECT " + COLUMNS + " FROM users ORDER BY username", Sql.NO_PARAMS,
                UserRepository::map);
    }

    public long count() {
        return Sql.queryLong(db.dataSource(), "SELECT COUNT(*) FROM users", Sql.NO_PARAMS);
    }

    /**
     * Creates a user. The stage fails with {@link DuplicateKeyException} if the username is taken.
     */
    public CompletionStage<User> create(String username, String passwordHash, String role) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(role, "role");
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        return db.write(c -> {
            try {
                long id = Sql.insertReturningId(c, "INSERT INTO users (username, password_hash, role, created_at, disabled)"
                        + " VALUES (?, ?, ?, ?, 0) RETURNING id", ps -> {
                            ps.setString(1, username);
                            ps.setString(2, passwordHash);
                            ps.setString(3, role);
                            ps.setLong(4, now.toEpochMilli());
                        });
                return new User(id, username, passwordHash, role, now, false);
            } catch (SQLException e) {
                if (Sql.isUniqueViolation(e)) {
                    throw new DuplicateKeyException("A user named '" + username + "' already exists", e);
                }
                throw e;
            }
        });
    }

    /** Sets a new password hash; false if the user is unknown. */
    public CompletionStage<Boolean> updatePassword(String username, String passwordHash) {
        Objects.requireNonNull(passwordHash, "passwordHash");
        return db.write(c -> Sql.update(c, "UPDATE users SET password_hash = ? WHERE username = ?", ps -> {
            ps.setString(1, passwordHash);
            ps.setString(2, username);
        }) > 0);
    }

    /** Changes the role; false if the user is unknown. */
    public CompletionStage<Boolean> updateRole(String username, String role) {
        Objects.requireNonNull(role, "role");
        return db.write(c -> Sql.update(c, "UPDATE users SET role = ? WHERE username = ?", ps -> {
            ps.setString(1, role);
            ps.setString(2, username);
        }) > 0);
    }

    /** Disables or re-enables the user; false if unknown. */
    public CompletionStage<Boolean> setDisabled(String username, boolean disabled) {
        return db.write(c -> Sql.update(c, "UPDATE users SET disabled = ? WHERE username = ?", ps -> {
            ps.setInt(1, disabled ? 1 : 0);
            ps.setString(2, username);
        }) > 0);
    }

    /** Deletes the user and their API sessions; false if the user is unknown. */
    public CompletionStage<Boolean> delete(String username) {
        return db.write(c -> {
            Sql.update(c, "DELETE FROM api_sessions WHERE username = ?", ps -> ps.setString(1, username));
            return Sql.update(c, "DELETE FROM users WHERE username = ?", ps -> ps.setString(1, username)) > 0;
        });
    }

    private static User map(ResultSet rs) throws SQLException {
        return new User(rs.getLong("id"), rs.getString("username"), rs.getString("password_hash"),
                rs.getString("role"), Sql.instant(rs, "created_at"), Sql.flag(rs, "disabled"));
    }
}
