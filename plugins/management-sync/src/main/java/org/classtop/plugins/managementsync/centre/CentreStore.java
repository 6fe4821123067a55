package org.classtop.plugins.managementsync.centre;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.classtop.api.server.Database;

/**
 * Every statement of the centre. Writes go through {@link Database#write}: they share the platform's group
 * commit (many heartbeats in one transaction) and each heartbeat's client rows are one JDBC batch.
 * Reads use the pool. The SQL is the same on SQLite and PostgreSQL except the JSONB cast of CCTV details.
 */
@Singleton
final class CentreStore {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Database database;
    final AtomicLong rowsWritten = new AtomicLong();
    final AtomicLong writes = new AtomicLong();

    @Inject
    CentreStore(Database database) {
        this.database = database;
    }

    Database.Dialect dialect() {
        return database.dialect();
    }

    private <T> CompletionStage<T> write(Database.SqlWork<T> work) {
        writes.incrementAndGet();
        return database.write(work);
    }

    // ---- loading -------------------------------------------------------------------------------------------

    void loadInto(Sites sites) throws SQLException {
        sites.clear();
        try (Connection c = database.dataSource().getConnection()) {
            try (PreparedStatement s = c.prepareStatement("SELECT id, lms_uuid, name, host, port, version, key_hash, registered_at,"
                    + " last_heartbeat, heartbeat_interval, client_count, online_count, outbox, last_seq FROM msync_lms");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Sites.Site site = new Sites.Site(r.getString(1), r.getString(2), r.getLong(8));
                    site.name = r.getString(3);
                    site.host = r.getString(4);
                    site.port = (Integer) intOrNull(r, 5);
                    site.version = r.getString(6);
                    site.keyHash = r.getString(7);
                    long hb = r.getLong(9);
                    site.lastHeartbeat = r.wasNull() ? null : hb;
                    site.interval = r.getInt(10);
                    site.clientCount = r.getInt(11);
                    site.onlineCount = r.getInt(12);
                    site.outbox = (Integer) intOrNull(r, 13);
                    long seq = r.getLong(14);
                    site.lastSeq = r.wasNull() ? -1 : seq;
                    sites.putSite(site);
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT uuid, lms_id, name, status, api_url, key_hash, first_seen, last_sync"
                    + " FROM msync_clients");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Sites.Client client = new Sites.Client(r.getString(1), r.getLong(7));
                    client.name = r.getString(3);
                    client.status = r.getString(4);
                    client.apiUrl = r.getString(5);
                    long sync = r.getLong(8);
                    client.lastSync = r.wasNull() ? null : sync;
                    sites.putClient(client);
                    sites.setClientKey(client, r.getString(6));
                    sites.hold(client, sites.site(r.getString(2)).orElse(null));
                }
            }
        }
    }

    private static Object intOrNull(ResultSet r, int column) throws SQLException {
        int v = r.getInt(column);
        return r.wasNull() ? null : v;
    }

    // ---- sites ---------------------------------------------------------------------------------------------

    CompletionStage<Void> saveSite(Sites.Site site, boolean isNew, long now) {
        return write(c -> {
            if (isNew) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO msync_lms (id, lms_uuid, name, host, port, version,"
                        + " key_hash, registered_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    s.setString(1, site.id);
                    s.setString(2, site.lmsUuid);
                    s.setString(3, site.name);
                    s.setString(4, site.host);
                    setInt(s, 5, site.port);
                    s.setString(6, site.version);
                    s.setString(7, site.keyHash);
                    s.setLong(8, site.registeredAt);
                    s.setLong(9, now);
                    s.executeUpdate();
                }
            } else {
                try (PreparedStatement s = c.prepareStatement("UPDATE msync_lms SET name = ?, host = ?, port = ?, version = ?,"
                        + " key_hash = ?, last_seq = NULL, updated_at = ? WHERE id = ?")) {
                    s.setString(1, site.name);
                    s.setString(2, site.host);
                    setInt(s, 3, site.port);
                    s.setString(4, site.version);
                    s.setString(5, site.keyHash);
                    s.setLong(6, now);
                    s.setString(7, site.id);
                    s.executeUpdate();
                }
            }
            rowsWritten.incrementAndGet();
            return null;
        });
    }

    CompletionStage<Void> rekey(String siteId, String keyHash, long now) {
        return write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE msync_lms SET key_hash = ?, updated_at = ? WHERE id = ?")) {
                s.setString(1, keyHash);
                s.setLong(2, now);
                s.setString(3, siteId);
                s.executeUpdate();
            }
            rowsWritten.incrementAndGet();
            return null;
        });
    }

    /** Removes the LMS, its heartbeats and mapping; its clients stay known (no LMS holds them now). */
    CompletionStage<Void> deleteSite(String siteId) {
        return write(c -> {
            int rows = 0;
            for (String sql : List.of("DELETE FROM msync_heartbeats WHERE lms_id = ?", "DELETE FROM msync_lms_clients WHERE lms_id = ?",
                    "UPDATE msync_clients SET lms_id = NULL WHERE lms_id = ?", "DELETE FROM msync_lms WHERE id = ?")) {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setString(1, siteId);
                    rows += s.executeUpdate();
                }
            }
            rowsWritten.addAndGet(rows);
            return null;
        });
    }

    /** A client row as it changed: name, status, holder; the row is created when new. */
    record ClientChange(String uuid, String lmsId, String name, String status, boolean newToLms) {
    }

    /**
     * One heartbeat: the LMS's row, one history row, and the client rows that changed (one batch each for
     * the upsert and the LMS-client mapping). Unchanged clients cost no statement.
     */
    CompletionStage<Void> heartbeat(Sites.Site site, int clientCount, int onlineCount, Integer outbox, Long seq,
                                    int interval, List<ClientChange> changes, long now) {
        return write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE msync_lms SET last_heartbeat = ?, heartbeat_interval = ?,"
                    + " client_count = ?, online_count = ?, outbox = ?, last_seq = COALESCE(?, last_seq), updated_at = ? WHERE id = ?")) {
                s.setLong(1, now);
                s.setInt(2, interval);
                s.setInt(3, clientCount);
                s.setInt(4, onlineCount);
                setInt(s, 5, outbox);
                if (seq == null) {
                    s.setNull(6, Types.BIGINT);
                } else {
                    s.setLong(6, seq);
                }
                s.setLong(7, now);
                s.setString(8, site.id);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO msync_heartbeats (lms_id, received_at, client_count,"
                    + " online_count, outbox) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, site.id);
                s.setLong(2, now);
                s.setInt(3, clientCount);
                s.setInt(4, onlineCount);
                setInt(s, 5, outbox);
                s.executeUpdate();
            }
            long rows = 2;
            if (!changes.isEmpty()) {
                rows += upsertClients(c, changes, now);
                try (PreparedStatement s = c.prepareStatement("INSERT INTO msync_lms_clients (lms_id, client_uuid, first_seen)"
                        + " VALUES (?, ?, ?) ON CONFLICT (lms_id, client_uuid) DO NOTHING")) {
                    int n = 0;
                    for (ClientChange change : changes) {
                        if (change.newToLms() && change.lmsId() != null) {
                            s.setString(1, change.lmsId());
                            s.setString(2, change.uuid());
                            s.setLong(3, now);
                            s.addBatch();
                            n++;
                        }
                    }
                    if (n > 0) {
                        s.executeBatch();
                        rows += n;
                    }
                }
            }
            rowsWritten.addAndGet(rows);
            return null;
        });
    }

    private static long upsertClients(Connection c, List<ClientChange> changes, long now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO msync_clients (uuid, lms_id, name, status, first_seen, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (uuid) DO UPDATE SET lms_id = excluded.lms_id, name = excluded.name,"
                + " status = excluded.status, updated_at = excluded.updated_at")) {
            for (ClientChange change : changes) {
                s.setString(1, change.uuid());
                s.setString(2, change.lmsId());
                s.setString(3, change.name());
                s.setString(4, change.status());
                s.setLong(5, now);
                s.setLong(6, now);
                s.addBatch();
            }
            s.executeBatch();
        }
        return changes.size();
    }

    /** A client registered (by its LMS, an enrolment token or an admin): name, url, holder and key hash. */
    CompletionStage<Void> saveClient(Sites.Client client, String keyHash, long now) {
        return write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO msync_clients (uuid, lms_id, name, status, api_url, key_hash,"
                    + " first_seen, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uuid) DO UPDATE SET lms_id = excluded.lms_id,"
                    + " name = excluded.name, api_url = excluded.api_url, key_hash = excluded.key_hash, updated_at = excluded.updated_at")) {
                s.setString(1, client.uuid);
                s.setString(2, client.lmsId);
                s.setString(3, client.name);
                s.setString(4, client.status);
                s.setString(5, client.apiUrl);
                s.setString(6, keyHash);
                s.setLong(7, client.firstSeen);
                s.setLong(8, now);
                s.executeUpdate();
            }
            if (client.lmsId != null) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO msync_lms_clients (lms_id, client_uuid, first_seen)"
                        + " VALUES (?, ?, ?) ON CONFLICT (lms_id, client_uuid) DO NOTHING")) {
                    s.setString(1, client.lmsId);
                    s.setString(2, client.uuid);
                    s.setLong(3, now);
                    s.executeUpdate();
                }
            }
            rowsWritten.addAndGet(2);
            return null;
        });
    }

    // ---- sync ----------------------------------------------------------------------------------------------

    record Camera(String cameraId, String name, String source, boolean recording, boolean streaming) {
    }

    record CctvEvent(String cameraId, String type, String detailsJson, long at) {
    }

    /** A validated sync; ids are the course / schedule ids (or content hashes) and their JSON; null = section not sent. */
    record SyncData(String clientUuid, String syncKey, String clientTime, Map<String, String> courses,
                    Map<String, String> schedules, String settingsJson, List<Camera> cameras, List<CctvEvent> events,
                    String newClientLmsId, String newClientName) {
    }

    /**
     * Applies a sync once: the sync key's row is inserted first; a replay finds it and changes nothing.
     * Courses, schedules and cameras are the client's snapshot (replaced); events are appended.
     *
     * @return true when applied, false for a replay
     */
    CompletionStage<Boolean> sync(SyncData d, long now) {
        return write(c -> {
            long rows = 0;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO msync_syncs (client_uuid, sync_key, received_at, client_time,"
                    + " courses, schedules) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (client_uuid, sync_key) DO NOTHING")) {
                s.setString(1, d.clientUuid());
                s.setString(2, d.syncKey());
                s.setLong(3, now);
                s.setString(4, d.clientTime());
                s.setInt(5, d.courses() == null ? 0 : d.courses().size());
                s.setInt(6, d.schedules() == null ? 0 : d.schedules().size());
                if (s.executeUpdate() == 0) {
                    return false;
                }
            }
            rows++;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO msync_clients (uuid, lms_id, name, first_seen, updated_at, last_sync)"
                    + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (uuid) DO UPDATE SET last_sync = excluded.last_sync")) {
                s.setString(1, d.clientUuid());
                s.setString(2, d.newClientLmsId());
                s.setString(3, d.newClientName());
                s.setLong(4, now);
                s.setLong(5, now);
                s.setLong(6, now);
                s.executeUpdate();
                rows++;
            }
            // A section the sync leaves out is unchanged; a present one (even empty) is the client's new snapshot.
            if (d.courses() != null) {
                rows += replace(c, "msync_courses", "course_id", d.clientUuid(), d.courses(), now);
            }
            if (d.schedules() != null) {
                rows += replace(c, "msync_schedules", "schedule_id", d.clientUuid(), d.schedules(), now);
            }
            if (d.settingsJson() != null) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO msync_settings (client_uuid, data, updated_at) VALUES (?, ?, ?)"
                        + " ON CONFLICT (client_uuid) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at")) {
                    s.setString(1, d.clientUuid());
                    s.setString(2, d.settingsJson());
                    s.setLong(3, now);
                    s.executeUpdate();
                    rows++;
                }
            }
            if (d.cameras() != null) {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM msync_cctv_configs WHERE client_uuid = ?")) {
                    s.setString(1, d.clientUuid());
                    rows += s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement("INSERT INTO msync_cctv_configs (client_uuid, camera_id, name, source,"
                        + " recording, streaming, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    for (Camera camera : d.cameras()) {
                        s.setString(1, d.clientUuid());
                        s.setString(2, camera.cameraId());
                        s.setString(3, camera.name());
                        s.setString(4, camera.source());
                        s.setInt(5, camera.recording() ? 1 : 0);
                        s.setInt(6, camera.streaming() ? 1 : 0);
                        s.setLong(7, now);
                        s.addBatch();
                    }
                    if (!d.cameras().isEmpty()) {
                        s.executeBatch();
                        rows += d.cameras().size();
                    }
                }
            }
            if (!d.events().isEmpty()) {
                String details = database.dialect() == Database.Dialect.POSTGRESQL ? "CAST(? AS jsonb)" : "?";
                try (PreparedStatement s = c.prepareStatement("INSERT INTO msync_cctv_events (client_uuid, camera_id, event_type, details,"
                        + " at, sync_key) VALUES (?, ?, ?, " + details + ", ?, ?)")) {
                    for (CctvEvent e : d.events()) {
                        s.setString(1, d.clientUuid());
                        s.setString(2, e.cameraId());
                        s.setString(3, e.type());
                        s.setString(4, e.detailsJson());
                        s.setLong(5, e.at());
                        s.setString(6, d.syncKey());
                        s.addBatch();
                    }
                    s.executeBatch();
                    rows += d.events().size();
                }
            }
            rowsWritten.addAndGet(rows);
            return true;
        });
    }

    private static long replace(Connection c, String table, String idColumn, String client, Map<String, String> items, long now)
            throws SQLException {
        long rows;
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE client_uuid = ?")) {
            s.setString(1, client);
            rows = s.executeUpdate();
        }
        if (items.isEmpty()) {
            return rows;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table + " (client_uuid, " + idColumn + ", data, updated_at)"
                + " VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<String, String> item : items.entrySet()) {
                s.setString(1, client);
                s.setString(2, item.getKey());
                s.setString(3, item.getValue());
                s.setLong(4, now);
                s.addBatch();
            }
            s.executeBatch();
        }
        return rows + items.size();
    }

    // ---- reads ---------------------------------------------------------------------------------------------

    List<Map<String, Object>> recentHeartbeats(String siteId, int limit) throws SQLException {
        List<Map<String, Object>> list = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT received_at, client_count, online_count, outbox FROM msync_heartbeats"
                     + " WHERE lms_id = ? ORDER BY received_at DESC LIMIT ?")) {
            s.setString(1, siteId);
            s.setInt(2, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("received_at", Views.iso(r.getLong(1)));
                    row.put("client_count", r.getInt(2));
                    row.put("online_count", r.getInt(3));
                    row.put("outbox", intOrNull(r, 4));
                    list.add(row);
                }
            }
        }
        return list;
    }

    /** What a client synced: courses, schedules, settings, cameras, the latest CCTV events and syncs. */
    Map<String, Object> synced(String clientUuid) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        try (Connection c = database.dataSource().getConnection()) {
            out.put("courses", jsonRows(c, "SELECT data FROM msync_courses WHERE client_uuid = ? ORDER BY course_id", clientUuid));
            out.put("schedules", jsonRows(c, "SELECT data FROM msync_schedules WHERE client_uuid = ? ORDER BY schedule_id", clientUuid));
            List<Object> settings = jsonRows(c, "SELECT data FROM msync_settings WHERE client_uuid = ?", clientUuid);
            out.put("settings", settings.isEmpty() ? Map.of() : settings.get(0));
            List<Map<String, Object>> cameras = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT camera_id, name, source, recording, streaming, updated_at"
                    + " FROM msync_cctv_configs WHERE client_uuid = ? ORDER BY camera_id")) {
                s.setString(1, clientUuid);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        Map<String, Object> cam = new LinkedHashMap<>();
                        cam.put("camera_id", r.getString(1));
                        cam.put("name", r.getString(2));
                        cam.put("source", r.getString(3));
                        cam.put("recording", r.getInt(4) == 1);
                        cam.put("streaming", r.getInt(5) == 1);
                        cam.put("updated_at", Views.iso(r.getLong(6)));
                        cameras.add(cam);
                    }
                }
            }
            out.put("cameras", cameras);
            List<Map<String, Object>> events = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT camera_id, event_type, details, at FROM msync_cctv_events"
                    + " WHERE client_uuid = ? ORDER BY at DESC, id DESC LIMIT 100")) {
                s.setString(1, clientUuid);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("camera_id", r.getString(1));
                        e.put("event_type", r.getString(2));
                        String details = r.getString(3);
                        e.put("details", details == null ? null : parse(details));
                        e.put("at", Views.iso(r.getLong(4)));
                        events.add(e);
                    }
                }
            }
            out.put("cctv_events", events);
            List<Map<String, Object>> syncs = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT sync_key, received_at, client_time, courses, schedules FROM msync_syncs"
                    + " WHERE client_uuid = ? ORDER BY received_at DESC LIMIT 20")) {
                s.setString(1, clientUuid);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("sync_key", r.getString(1));
                        e.put("received_at", Views.iso(r.getLong(2)));
                        e.put("timestamp", r.getString(3));
                        e.put("courses", r.getInt(4));
                        e.put("schedules", r.getInt(5));
                        syncs.add(e);
                    }
                }
            }
            out.put("syncs", syncs);
        }
        return out;
    }

    private static List<Object> jsonRows(Connection c, String sql, String client) throws SQLException {
        List<Object> list = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, client);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    list.add(parse(r.getString(1)));
                }
            }
        }
        return list;
    }

    private static Object parse(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (java.io.IOException e) {
            return json;
        }
    }

    /**
     * Deletes heartbeats and CCTV events older than {@code before}, remembered sync keys older than
     * {@code syncKeysBefore} (a longer window: they make replays apply once); answers the rows removed.
     */
    CompletionStage<Long> prune(long before, long syncKeysBefore) {
        return write(c -> {
            long rows = 0;
            for (String sql : List.of("DELETE FROM msync_heartbeats WHERE received_at < ?", "DELETE FROM msync_cctv_events WHERE at < ?",
                    "DELETE FROM msync_syncs WHERE received_at < ?")) {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setLong(1, sql.contains("msync_syncs") ? syncKeysBefore : before);
                    rows += s.executeUpdate();
                }
            }
            return rows;
        });
    }

    long count(String table) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + table);
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void setInt(PreparedStatement s, int index, Integer value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.INTEGER);
        } else {
            s.setInt(index, value);
        }
    }
}
