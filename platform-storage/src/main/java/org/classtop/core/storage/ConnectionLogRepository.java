package org.classtop.core.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** The {@code connection_logs} table: agents connecting, disconnecting and being refused. */
public final class ConnectionLogRepository {

    public static final String CONNECTED = "connected";
    public static final String DISCONNECTED = "disconnected";
    public static final String REFUSED = "refused";
    public static final int MAX_LIMIT = 1000;

    public record ConnectionLogEntry(long id, String clientUuid, String event, Instant at, String ipAddress,
                                     String detail) {}

    private record Row(String clientUuid, String event, Instant at, String ipAddress, String detail,
                       CompletableFuture<Void> written) {
    }

    private final PlatformDatabase db;
    /** Rows appended and not yet handed to the writer, oldest first. */
    private final Queue<Row> unwritten = new ConcurrentLinkedQueue<>();
    /** Rows in {@link #unwritten}: bounded, as the writer's queue bounded one write per row before batching. */
    private final AtomicInteger unwrittenCount = new AtomicInteger();
    /** Rows that may wait in memory for the writer; beyond, an append fails at once (the database cannot keep up). */
    static final int MAX_UNWRITTEN_ROWS = 20_000;
    /** Whether a batch write is queued at the writer that will take the rows in {@link #unwritten}. */
    private final AtomicBoolean batchQueued = new AtomicBoolean();

    public ConnectionLogRepository(PlatformDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** Appends an event ({@code connected}, {@code disconnected} or {@code refused}) stamped now. */
    public CompletionStage<Void> append(String clientUuid, String event, String ipAddress, String detail) {
        return append(clientUuid, event, ipAddress, detail, Instant.now());
    }

    /**
     * Appends an event, written behind in a batch: rows appended while the writer is busy go in one statement
     * batch of the next transaction (a reconnect storm of thousands of agents costs a few writes, not one each).
     * Rows keep their order; the stage completes once the row is committed.
     */
    public CompletionStage<Void> append(String clientUuid, String event, String ipAddress, String detail, Instant at) {
        Objects.requireNonNull(clientUuid, "clientUuid");
        Objects.requireNonNull(event, "event");
        Row row = new Row(clientUuid, event, at != null ? at : Instant.now(), ipAddress, detail, new CompletableFuture<>());
        if (unwrittenCount.incrementAndGet() > MAX_UNWRITTEN_ROWS) {
            unwrittenCount.decrementAndGet();
            row.written().completeExceptionally(new StorageException("The connection log has " + MAX_UNWRITTEN_ROWS
                    + " rows waiting for the database; this row was not written"));
            return row.written();
        }
        unwritten.add(row);
        if (batchQueued.compareAndSet(false, true)) {
            writeBatch();
        }
        return row.written();
    }

    private void writeBatch() {
        List<Row> batch = new ArrayList<>();
        AtomicBoolean ran = new AtomicBoolean();
        db.write(c -> {
            ran.set(true);
            // Cleared first: a row appended from here on is either taken below or queues the next batch.
            batchQueued.set(false);
            for (Row row; (row = unwritten.poll()) != null; ) { // (a transaction run again keeps what it took)
                unwrittenCount.decrementAndGet();
                batch.add(row);
            }
            if (batch.isEmpty()) {
                return null;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO connection_logs (client_uuid, event, at, ip_address, detail)"
                    + " VALUES (?, ?, ?, ?, ?)")) {
                for (Row row : batch) {
                    ps.setString(1, row.clientUuid());
                    ps.setString(2, row.event());
                    ps.setLong(3, row.at().toEpochMilli());
                    Sql.setText(ps, 4, row.ipAddress());
                    Sql.setText(ps, 5, row.detail());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        }).whenComplete((v, error) -> {
            if (error != null && !ran.get()) {
                // Refused before it ran (the write queue is full, or the database closed): so are the rows it would take.
                batchQueued.set(false);
                for (Row row; (row = unwritten.poll()) != null; ) {
                    unwrittenCount.decrementAndGet();
                    batch.add(row);
                }
            }
            for (Row row : batch) {
                if (error == null) {
                    row.written().complete(null);
                } else {
                    row.written().completeExceptionally(error);
                }
            }
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
