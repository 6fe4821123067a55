package org.classtop.core.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.classtop.api.Event;

/**
 * The {@code event_logs} table: events ({@code <plugin>.<name>}) reported by agents or published
 * on the server. The view {@code cctv_logs} shows the {@code cctv.*} ones under the seed's name.
 */
public final class EventLogRepository {

    public static final int MAX_LIMIT = 1000;

    public record EventLogEntry(long id, String clientUuid, String event, Map<String, Object> data, Instant at) {
        public EventLogEntry {
            data = data == null ? Map.of() : data;
        }

        /** The entry as an {@link Event}. */
        public Event toEvent() {
            return new Event(event, clientUuid, data, at);
        }
    }

    private final PlatformDatabase db;

    public EventLogRepository(PlatformDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    public CompletionStage<Void> append(Event event) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(event.name(), "event name");
        String data = Json.write(event.data());
        return db.write(c -> {
            Sql.update(c, "INSERT INTO event_logs (client_uuid, event, data, at) VALUES (?, ?, ?, ?)", ps -> {
                Sql.setText(ps, 1, event.clientUuid());
                ps.setString(2, event.name());
                ps.setString(3, data);
                ps.setLong(4, event.timestamp().toEpochMilli());
            });
            return null;
        });
    }

    /**
     * Newest first. {@code clientUuidOrNull}: one client or all; {@code eventPrefixOrNull}: names
     * starting with it (case-sensitive, e.g. {@code "cctv."}); {@code limit} 1..1000 (0: 100).
     */
    public List<EventLogEntry> recent(String clientUuidOrNull, String eventPrefixOrNull, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, client_uuid, event, data, at FROM event_logs WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (clientUuidOrNull != null) {
            sql.append(" AND client_uuid = ?");
            args.add(clientUuidOrNull);
        }
        if (eventPrefixOrNull != null && !eventPrefixOrNull.isEmpty()) {
            sql.append(" AND substr(event, 1, ?) = ?");
            args.add(eventPrefixOrNull.length());
            args.add(eventPrefixOrNull);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(Sql.clampLimit(limit, MAX_LIMIT));
        return Sql.query(db.dataSource(), sql.toString(), ps -> {
            for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
        }, EventLogRepository::map);
    }

    /** Deletes the entries older than {@code cutoff}; gives how many. */
    public CompletionStage<Integer> deleteOlderThan(Instant cutoff) {
        return db.write(c -> Sql.update(c, "DELETE FROM event_logs WHERE at < ?",
                ps -> ps.setLong(1, cutoff.toEpochMilli())));
    }

    private static EventLogEntry map(ResultSet rs) throws SQLException {
        return new EventLogEntry(rs.getLong("id"), rs.getString("client_uuid"), rs.getString("event"),
                Json.readMap(rs.getString("data")), Sql.instant(rs, "at"));
    }
}
