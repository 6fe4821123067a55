package org.classtop.core.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** JDBC helpers shared by the repositories. */
final class Sql {
    private Sql() {}

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static final Binder NO_PARAMS = ps -> {};

    /** Runs a query on a read connection. */
    static <T> List<T> query(DataSource ds, String sql, Binder binder, RowMapper<T> mapper) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) out.add(mapper.map(rs));
                return out;
            }
        } catch (SQLException e) {
            throw new StorageException("Database read failed: " + PlatformDatabase.rootMessage(e), e);
        }
    }

    static <T> Optional<T> queryOne(DataSource ds, String sql, Binder binder, RowMapper<T> mapper) {
        List<T> rows = query(ds, sql, binder, mapper);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    static long queryLong(DataSource ds, String sql, Binder binder) {
        return queryOne(ds, sql, binder, rs -> rs.getLong(1)).orElse(0L);
    }

    /** Executes an update on the writer's connection; returns the affected row count. */
    static int update(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        }
    }

    /** Executes {@code INSERT ... RETURNING id}; returns the id. */
    static long insertReturningId(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("The insert returned no id");
                return rs.getLong(1);
            }
        }
    }

    static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    static void setMillis(PreparedStatement ps, int index, Instant t) throws SQLException {
        if (t == null) ps.setNull(index, Types.BIGINT);
        else ps.setLong(index, t.toEpochMilli());
    }

    static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) ps.setNull(index, Types.BIGINT);
        else ps.setLong(index, value);
    }

    static void setFlag(PreparedStatement ps, int index, Boolean value) throws SQLException {
        if (value == null) ps.setNull(index, Types.INTEGER);
        else ps.setInt(index, value ? 1 : 0);
    }

    static void setText(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) ps.setNull(index, Types.VARCHAR);
        else ps.setString(index, value);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static Boolean nullableFlag(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v != 0;
    }

    static boolean flag(ResultSet rs, String column) throws SQLException {
        return rs.getInt(column) != 0;
    }

    /** Whether {@code e} is a unique or primary key violation, on SQLite or PostgreSQL. */
    static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                if ("23505".equals(sql.getSQLState())) return true;
                if (sql instanceof SQLiteException lite) {
                    SQLiteErrorCode code = lite.getResultCode();
                    if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                            || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) return true;
                }
                String message = sql.getMessage();
                if (message != null && message.contains("UNIQUE constraint failed")) return true;
            }
            if (t.getCause() == t) break;
        }
        return false;
    }

    static int clampLimit(int limit, int max) {
        if (limit <= 0) return Math.min(100, max);
        return Math.min(limit, max);
    }
}
