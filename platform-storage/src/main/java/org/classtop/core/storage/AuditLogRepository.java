package org.classtop.core.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The {@code audit_log} table: who changed what, when and from where, one row per state-changing API
 * request. Rows hold short values only (never request bodies, passwords or tokens).
 */
public final class AuditLogRepository {

    public static final int MAX_LIMIT = 1000;

    /**
     * @param actor  the caller's name (a user, {@code token:<name>}, {@code admin-token}) or the name tried at sign-in
     * @param auth   how the caller authenticated: session, api_token, admin_token or password (a sign-in)
     * @param action the method and route template, e.g. {@code POST /api/clients/{uuid}/approve}
     * @param status the HTTP status of the answer
     */
    public record AuditEntry(long id, Instant at, String actor, String auth, String address, String method, String path,
                             String plugin, String action, int status, Map<String, Object> detail) {
        public AuditEntry {
            detail = detail == null ? Map.of() : detail;
        }
    }

    /** What to look for; null fields do not filter. {@code from} is inclusive, {@code to} exclusive. */
    public record Filter(String actor, String action, Instant from, Instant to, long beforeId) {
        public static final Filter ALL = new Filter(null, null, null, null, 0);
    }

    private final PlatformDatabase db;

    public AuditLogRepository(PlatformDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** Queues the entry (its id is ignored) for the writer; never blocks. */
    public CompletionStage<Void> append(AuditEntry entry) {
        return appendAll(List.of(Objects.requireNonNull(entry, "entry")));
    }

    /** Queues the entries (their ids are ignored) as one write of one transaction; never blocks. */
    public CompletionStage<Void> appendAll(List<AuditEntry> entries) {
        List<AuditEntry> rows = List.copyOf(entries);
        return db.write(c -> {
            try (var ps = c.prepareStatement("INSERT INTO audit_log (at, actor, auth, address, method, path, plugin, action,"
                    + " status, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (AuditEntry entry : rows) {
                    ps.setLong(1, entry.at().toEpochMilli());
                    Sql.setText(ps, 2, entry.actor());
                    ps.setString(3, entry.auth());
                    Sql.setText(ps, 4, entry.address());
                    ps.setString(5, entry.method());
                    ps.setString(6, entry.path());
                    Sql.setText(ps, 7, entry.plugin());
                    ps.setString(8, entry.action());
                    ps.setInt(9, entry.status());
                    ps.setString(10, Json.write(entry.detail()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Newest first, at most {@code limit} (1..1000; 0: 100) entries matching the filter. */
    public List<AuditEntry> search(Filter filter, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, at, actor, auth, address, method, path, plugin, action, status,"
                + " detail FROM audit_log WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (filter.actor() != null) {
            sql.append(" AND actor = ?");
            args.add(filter.actor());
        }
        if (filter.action() != null) {
            sql.append(" AND action = ?");
            args.add(filter.action());
        }
        if (filter.from() != null) {
            sql.append(" AND at >= ?");
            args.add(filter.from().toEpochMilli());
        }
        if (filter.to() != null) {
            sql.append(" AND at < ?");
            args.add(filter.to().toEpochMilli());
        }
        if (filter.beforeId() > 0) {
            sql.append(" AND id < ?");
            args.add(filter.beforeId());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(Sql.clampLimit(limit, MAX_LIMIT));
        return Sql.query(db.dataSource(), sql.toString(), ps -> {
            for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
        }, AuditLogRepository::map);
    }

    /** Deletes the entries older than {@code cutoff}; gives how many. */
    public CompletionStage<Integer> deleteOlderThan(Instant cutoff) {
        return db.write(c -> Sql.update(c, "DELETE FROM audit_log WHERE at < ?",
                ps -> ps.setLong(1, cutoff.toEpochMilli())));
    }

    private static AuditEntry map(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong("id"), Sql.instant(rs, "at"), rs.getString("actor"), rs.getString("auth"),
                rs.getString("address"), rs.getString("method"), rs.getString("path"), rs.getString("plugin"),
                rs.getString("action"), rs.getInt("status"), Json.readMap(rs.getString("detail")));
    }
}
