package org.classtop.core.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/** The {@code connection_logs} table: agents connecting, disconnecting and being refused. */
public final class ConnectionLogRepository {

    public static final String CONNECTED = "connected";
    public static final String DISCONNECTED = "disconnected";
    public static final String REFUSED = "refused";
    public static final int MAX_LIMIT = 1000;

    public record ConnectionLogEntry(long id, String clientUuid, String event, Instant at, String ipAddress,
                                     String detail) {}

    private final PlatformDatabase db;

    public ConnectionLogRepository(PlatformDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** Appends an event ({@code connected}, {@code disconnected} or {@code refused}) stamped now. */
    public CompletionStage<Void> append(String clientUuid, String event, String ipAddress, String detail) {
        return append(clientUuid, event, ipAddress, detail, Instant.now());
    }

    public CompletionStage<Void> append(String clientUuid, String event, String ipAddress, String detail, Instant at) {
        Objects.requireNonNull(clientUuid, "clientUuid");
        Objects.requireNonNull(event, "event");
        Instant when = at != null ? at : Instant.now();
        return db.write(c -> {
            Sql.update(c, "INSERT INTO connection_logs (client_uuid, event, at, ip_address, detail)"
                    + " VALUES (?, ?, ?, ?, ?)", ps -> {
                        ps.setString(1, clientUuid);
                        ps.setString(2, event);
                        ps.setLong(3, when.toEpochMilli());
                        Sql.setText(ps, 4, ipAddress);
                        Sql.setText(ps, 5, detail);
                    });
            return null;
        });
    }

    /** Newest first; {@code clientUuid} null means every client; {@code limit} 1..1000 (0: 100). */
    public List<ConnectionLogEntry> recent(String clientUuid, int limit) {
        int n = Sql.clampLimit(limit, MAX_LIMIT);
        if (clientUuid == null) {
            return Sql.query(db.dataSource(), "SELECT id, client_uuid, event, at, ip_address, detail"
                    + " FROM connection_logs ORDER BY id DESC LIMIT ?", ps -> ps.setInt(1, n),
                    ConnectionLogRepository::map);
        }
        return Sql.query(db.dataSource(), "SELECT id, client_uuid, event, at, ip_address, detail"
                + " FROM connection_logs WHERE client_uuid = ? ORDER BY id DESC LIMIT ?", ps -> {
                    ps.setString(1, clientUuid);
                    ps.setInt(2, n);
                }, ConnectionLogRepository::map);
    }

    /** Deletes the entries older than {@code cutoff}; gives how many. */
    public CompletionStage<Integer> deleteOlderThan(Instant cutoff) {
        return db.write(c -> Sql.update(c, "DELETE FROM connection_logs WHERE at < ?",
                ps -> ps.setLong(1, cutoff.toEpochMilli())));
    }

    private static ConnectionLogEntry map(ResultSet rs) throws SQLException {
        return new ConnectionLogEntry(rs.getLong("id"), rs.getString("client_uuid"), rs.getString("event"),
                Sql.instant(rs, "at"), rs.getString("ip_address"), rs.getString("detail"));
    }
}
