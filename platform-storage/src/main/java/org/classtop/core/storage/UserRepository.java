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

    /**
     * Replaces the password hash only while it is still {@code expected} (a hash made again with new costs at a
     * sign-in must not undo a password change made meanwhile); false if the user is unknown or the hash changed.
     */
    public CompletionStage<Boolean> replacePasswordHash(String username, String expected, String passwordHash) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(passwordHash, "passwordHash");
        return db.write(c -> Sql.update(c, "UPDATE users SET password_hash = ? WHERE username = ? AND password_hash = ?", ps -> {
            ps.setString(1, passwordHash);
            ps.setString(2, username);
            ps.setString(3, expected);
        }) > 0);
    }

    /** Changes the role; false if the user is unknown. Fails with {@link LastAdminException} like {@link #update}. */
    public CompletionStage<Boolean> updateRole(String username, String role) {
        return update(username, Objects.requireNonNull(role, "role"), null, null);
    }

    /** Disables or re-enables the user; false if unknown. Fails with {@link LastAdminException} like {@link #update}. */
    public CompletionStage<Boolean> setDisabled(String username, boolean disabled) {
        return update(username, null, null, disabled);
    }

    /**
     * Changes the given fields (null keeps one) in one transaction; false if the user is unknown. An admin
     * who would be demoted or disabled while no other enabled admin exists fails the stage with
     * {@link LastAdminException}. The check runs in the writer's transaction, so two admins demoting each
     * other at once cannot both succeed.
     */
    public CompletionStage<Boolean> update(String username, String role, String passwordHash, Boolean disabled) {
        boolean losesAdmin = (role != null && !role.equals(ADMIN)) || Boolean.TRUE.equals(disabled);
        return db.write(c -> {
            String currentRole = roleOf(c, username);
            if (currentRole == null) {
                return false;
            }
            if (losesAdmin && currentRole.equals(ADMIN)) {
                requireAnotherEnabledAdmin(c, username);
            }
            return Sql.update(c, "UPDATE users SET role = COALESCE(?, role), password_hash = COALESCE(?, password_hash),"
                    + " disabled = COALESCE(?, disabled) WHERE username = ?", ps -> {
                        Sql.setText(ps, 1, role);
                        Sql.setText(ps, 2, passwordHash);
                        Sql.setFlag(ps, 3, disabled);
                        ps.setString(4, username);
                    }) > 0;
        });
    }

    /** Deletes the user and their API sessions; false if the user is unknown. Fails with {@link LastAdminException} for the last admin. */
    public CompletionStage<Boolean> delete(String username) {
        return db.write(c -> {
            if (ADMIN.equals(roleOf(c, username))) {
                requireAnotherEnabledAdmin(c, username);
            }
            Sql.update(c, "DELETE FROM api_sessions WHERE username = ?", ps -> ps.setString(1, username));
            return Sql.update(c, "DELETE FROM users WHERE username = ?", ps -> ps.setString(1, username)) > 0;
        });
    }

    /** A change would leave no enabled admin to sign in with. */
    public static final class LastAdminException extends StorageException {
        private static final long serialVersionUID = 1L;

        LastAdminException(String username) {
            super("'" + username + "' is the last enabled admin; add another admin first.");
        }
    }

    private static String roleOf(java.sql.Connection c, String username) throws SQLException {
        try (var ps = c.prepareStatement("SELECT role FROM users WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void requireAnotherEnabledAdmin(java.sql.Connection c, String username) throws SQLException {
        try (var ps = c.prepareStatement("SELECT COUNT(*) FROM users WHERE role = ? AND disabled = 0 AND username <> ?")) {
            ps.setString(1, ADMIN);
            ps.setString(2, username);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getLong(1) == 0) {
                    throw new LastAdminException(username);
                }
            }
        }
    }

    private static User map(ResultSet rs) throws SQLException {
        return new User(rs.getLong("id"), rs.getString("username"), rs.getString("password_hash"),
                rs.getString("role"), Sql.instant(rs, "created_at"), Sql.flag(rs, "disabled"));
    }
}
