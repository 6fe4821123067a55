package org.classtop.core.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.classtop.api.server.Database.SqlWork;

/** The {@code command_logs} table: every command sent to an agent and how it ended. */
public final class CommandLogRepository {

    /** The most rows {@link #recent} returns. */
    public static final int MAX_LIMIT = 1000;

    /**
     * One command. {@code status}: {@code ok}, {@code failed}, {@code timeout}, {@code offline} or
     * {@code error}; {@code success} null while unanswered; {@code response} the agent's JSON answer
     * (a map, list or value).
     */
    public record CommandLogEntry(long id, String requestId, String clientUuid, String command, Map<String, Object> params,
                                  Boolean success, String status, Object response, String error, String requestedBy,
                                  Instant sentAt, Instant answeredAt, Long durationMs) {
        public CommandLogEntry {
            params = params == null ? Map.of() : params;
        }
    }

    private static final String COLUMNS = "id, request_id, client_uuid, command, params, success, status, response,"
            + " error, requested_by, sent_at, answered_at, duration_ms";

    private final PlatformDatabase db;

    public CommandLogRepository(PlatformDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** Appends the entry ({@code id} is ignored; a null {@code sentAt} means now). */
    public CompletionStage<Void> append(CommandLogEntry entry) {
        return db.write(insert(entry));
    }

    /**
     * Appends the entry and tells {@code onCommitted} on the writer thread: null once the row is committed, else
     * what failed ({@link PlatformDatabase#write(SqlWork, Consumer)}: it must be quick and never block).
     */
    public void append(CommandLogEntry entry, Consumer<Throwable> onCommitted) {
        db.write(insert(entry), onCommitted);
    }

    private static SqlWork<Void> insert(CommandLogEntry entry) {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(entry.clientUuid(), "clientUuid");
        Objects.requireNonNull(entry.command(), "command");
        String params = Json.write(entry.params());
        String response = Json.write(entry.response());
        String status = entry.status() != null ? entry.status() : "ok";
        Instant sentAt = entry.sentAt() != null ? entry.sentAt() : Instant.now();
        return c -> {
            Sql.update(c, "INSERT INTO command_logs (request_id, client_uuid, command, params, success, status,"
                    + " response, error, requested_by, sent_at, answered_at, duration_ms)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
                        Sql.setText(ps, 1, entry.requestId());
                        ps.setString(2, entry.clientUuid());
                        ps.setString(3, entry.command());
                        Sql.setText(ps, 4, params);
                        Sql.setFlag(ps, 5, entry.success());
                        ps.setString(6, status);
                        Sql.setText(ps, 7, response);
                        Sql.setText(ps, 8, entry.error());
                        Sql.setText(ps, 9, entry.requestedBy());
                        Sql.setMillis(ps, 10, sentAt);
                        Sql.setMillis(ps, 11, entry.answeredAt());
                        Sql.setLong(ps, 12, entry.durationMs());
                    });
            return null;
        };
    }

    /**
     * Records the outcome of a command appended earlier (found by its request id); false if no
     * entry has that request id.
     */
    public CompletionStage<Boolean> finish(String requestId, Boolean success, String status, Object response,
                                           String error, Instant answeredAt, Long durationMs) {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(status, "status");
        String json = Json.write(response);
        return db.write(c -> Sql.update(c, "UPDATE command_logs SET success = ?, status = ?, response = ?, error = ?,"
                + " answered_at = ?, duration_ms = ? WHERE request_id = ?", ps -> {
                    Sql.setFlag(ps, 1, success);
                    ps.setString(2, status);
                    Sql.setText(ps, 3, json);
                    Sql.setText(ps, 4, error);
                    Sql.setMillis(ps, 5, answeredAt);
                    Sql.setLong(ps, 6, durationMs);
                    ps.setString(7, requestId);
                }) > 0);
    }

    /**
     * The newest entries first, optionally filtered (null means any), at most {@code limit} (1 to
     * {@value #MAX_LIMIT}; 0 or less gives 100); {@code beforeIdOrZero > 0} pages: only ids below it.
     */
    public List<CommandLogEntry> recent(String clientUuidOrNull, String commandOrNull, String statusOrNull, int limit,
                                        long beforeIdOrZero) {
        return recent(clientUuidOrNull, commandOrNull, statusOrNull, java.util.Set.of(), limit, beforeIdOrZero);
    }

    /** As above, leaving out the commands named in {@code excludedCommands} (e.g. reads). */
    public List<CommandLogEntry> recent(String clientUuidOrNull, String commandOrNull, String statusOrNull,
                                        java.util.Set<String> excludedCommands, int limit, long beforeIdOrZero) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM command_logs WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (clientUuidOrNull != null) {
            sql.append(" AND client_uuid = ?");
            args.add(clientUuidOrNull);
        }
        if (commandOrNull != null) {
            sql.append(" AND command = ?");
            args.add(commandOrNull);
        }
        if (statusOrNull != null) {
            sql.append(" AND status = ?");
            args.add(statusOrNull);
        }
        if (!excludedCommands.isEmpty()) {
            sql.append(" AND command NOT IN (").append(String.join(", ", java.util.Collections.nCopies(excludedCommands.size(), "?")))
                    .append(")");
            args.addAll(excludedCommands);
        }
        if (beforeIdOrZero > 0) {
            sql.append(" AND id < ?");
            args.add(beforeIdOrZero);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(Sql.clampLimit(limit, MAX_LIMIT));
        return Sql.query(db.dataSource(), sql.toString(), ps -> {
            for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
        }, CommandLogRepository::map);
    }

    /** The entry with this request id (the newest if several). */
    public Optional<CommandLogEntry> findByRequestId(String requestId) {
        return Sql.queryOne(db.dataSource(), "SELECT " + COLUMNS
                + " FROM command_logs WHERE request_id = ? ORDER BY id DESC LIMIT 1",
                ps -> ps.setString(1, requestId), CommandLogRepository::map);
    }

    public long count() {
        return Sql.queryLong(db.dataSource(), "SELECT COUNT(*) FROM command_logs", Sql.NO_PARAMS);
    }

    /** Deletes the entries sent before {@code cutoff}; gives how many. */
    public CompletionStage<Integer> deleteOlderThan(Instant cutoff) {
        return db.write(c -> Sql.update(c, "DELETE FROM command_logs WHERE sent_at < ?",
                ps -> ps.setLong(1, cutoff.toEpochMilli())));
    }

    private static CommandLogEntry map(ResultSet rs) throws SQLException {
        return new CommandLogEntry(
                rs.getLong("id"),
                rs.getString("request_id"),
                rs.getString("client_uuid"),
                rs.getString("command"),
                Json.readMap(rs.getString("params")),
                Sql.nullableFlag(rs, "success"),
                rs.getString("status"),
                Json.readAny(rs.getString("response")),
                rs.getString("error"),
                rs.getString("requested_by"),
                Sql.instant(rs, "sent_at"),
                Sql.instant(rs, "answered_at"),
                Sql.nullableLong(rs, "duration_ms"));
    }
}
