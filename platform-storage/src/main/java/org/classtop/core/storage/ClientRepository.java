package org.classtop.core.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** The {@code clients} table: every agent the server has seen. */
public final class ClientRepository {

    public static final String PENDING = "pending";
    public static final String APPROVED = "approved";
    public static final String REJECTED = "rejected";
    private static final Set<String> ENROLLMENTS = Set.of(PENDING, APPROVED, REJECTED);

    /**
     * One client. {@code capabilities} and {@code lastState} are never null (empty when unknown);
     * {@code enrollment} is {@code pending}, {@code approved} or {@code rejected}; {@code legacy}: the
     * client never sent a protocol {@code register} frame.
     */
    public record ClientRecord(String uuid, String name, String ipAddress, String enrollment, String clientType,
                               String agentVersion, List<String> capabilities, boolean legacy, String credentialHash,
                               Map<String, Object> lastState, Instant firstSeen, Instant lastSeen, boolean online) {
        public ClientRecord {
            Objects.requireNonNull(uuid, "uuid");
            enrollment = enrollment == null ? PENDING : enrollment;
            capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
            lastState = lastState == null ? Map.of() : lastState;
        }
    }

    private static final String COLUMNS = "uuid, name, ip_address, enrollment, client_type, agent_version, capabilities,"
            + " legacy, credential_hash, last_state, first_seen, last_seen, online";

    private final PlatformDatabase db;

    public ClientRepository(PlatformDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** Every client, oldest first. */
    public List<ClientRecord> findAll() {
        return Sql.query(db.dataSource(), "SELECT " + COLUMNS + " FROM clients ORDER BY first_seen, uuid",
                Sql.NO_PARAMS, ClientRepository::map);
    }

    /** Clients in one enrolment state ({@code pending}, {@code approved}, {@code rejected}), oldest first. */
    public List<ClientRecord> findByEnrollment(String enrollment) {
        String e = checkEnrollment(enrollment);
        return Sql.query(db.dataSource(),
                "SELECT " + COLUMNS + " FROM clients WHERE enrollment = ? ORDER BY first_seen, uuid",
                ps -> ps.setString(1, e), ClientRepository::map);
    }

    public Optional<ClientRecord> find(String uuid) {
        return Sql.queryOne(db.dataSource(), "SELECT " + COLUMNS + " FROM clients WHERE uuid = ?",
                ps -> ps.setString(1, uuid), ClientRepository::map);
    }

    public long count() {
        return Sql.queryLong(db.dataSource(), "SELECT COUNT(*) FROM clients", Sql.NO_PARAMS);
    }

    /**
     * Inserts the client or updates every column of an existing one, except {@code first_seen} (the
     * first value stays; a null {@code firstSeen} means now) and {@code metadata}.
     */
    public CompletionStage<Void> save(ClientRecord client) {
        Objects.requireNonNull(client, "client");
        checkEnrollment(client.enrollment());
        String capabilities = Json.write(client.capabilities());
        String state = Json.write(client.lastState());
        Instant firstSeen = client.firstSeen() != null ? client.firstSeen() : Instant.now();
        return db.write(c -> {
            Sql.update(c, "INSERT INTO clients (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (uuid) DO UPDATE SET name = excluded.name, ip_address = excluded.ip_address,"
                    + " enrollment = excluded.enrollment, client_type = excluded.client_type,"
                    + " agent_version = excluded.agent_version, capabilities = excluded.capabilities,"
                    + " legacy = excluded.legacy, credential_hash = excluded.credential_hash,"
                    + " last_state = excluded.last_state, last_seen = excluded.last_seen, online = excluded.online",
                    ps -> {
                        ps.setString(1, client.uuid());
                        Sql.setText(ps, 2, client.name());
                        Sql.setText(ps, 3, client.ipAddress());
                        ps.setString(4, client.enrollment());
                        Sql.setText(ps, 5, client.clientType());
                        Sql.setText(ps, 6, client.agentVersion());
                        Sql.setText(ps, 7, capabilities);
                        Sql.setFlag(ps, 8, client.legacy());
                        Sql.setText(ps, 9, client.credentialHash());
                        Sql.setText(ps, 10, state);
                        Sql.setMillis(ps, 11, firstSeen);
                        Sql.setMillis(ps, 12, client.lastSeen());
                        Sql.setFlag(ps, 13, client.online());
                    });
            return null;
        });
    }

    /** Sets the enrolment state; the stage gives false if the client is unknown. */
    public CompletionStage<Boolean> setEnrollment(String uuid, String enrollment) {
        String e = checkEnrollment(enrollment);
        return updateOne("UPDATE clients SET enrollment = ? WHERE uuid = ?", ps -> {
            ps.setString(1, e);
            ps.setString(2, uuid);
        });
    }

    /** Sets (or, with null, clears) the agent's credential hash; false if the client is unknown. */
    public CompletionStage<Boolean> setCredentialHash(String uuid, String credentialHash) {
        return updateOne("UPDATE clients SET credential_hash = ? WHERE uuid = ?", ps -> {
            Sql.setText(ps, 1, credentialHash);
            ps.setString(2, uuid);
        });
    }

    /** Marks the client online or offline and sets its last-seen time; false if unknown. */
    public CompletionStage<Boolean> markOnline(String uuid, boolean online, Instant lastSeen) {
        Instant seen = lastSeen != null ? lastSeen : Instant.now();
        return updateOne("UPDATE clients SET online = ?, last_seen = ? WHERE uuid = ?", ps -> {
            Sql.setFlag(ps, 1, online);
            Sql.setMillis(ps, 2, seen);
            ps.setString(3, uuid);
        });
    }

    /**
     * Sets the last-seen time of many clients in one statement batch (the hub keeps heartbeats in memory
     * and writes them this way every few heartbeat intervals). Unknown clients are skipped.
     */
    public CompletionStage<Void> saveLastSeen(Map<String, Instant> lastSeen) {
        Map<String, Instant> copy = Map.copyOf(lastSeen);
        if (copy.isEmpty()) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        return db.write(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement("UPDATE clients SET last_seen = ? WHERE uuid = ?")) {
                for (Map.Entry<String, Instant> entry : copy.entrySet()) {
                    Sql.setMillis(ps, 1, entry.getValue());
                    ps.setString(2, entry.getKey());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Stores the client's last reported state (a {@code state_update}'s data); false if unknown. */
    public CompletionStage<Boolean> saveState(String uuid, Map<String, Object> state) {
        String json = Json.write(state == null ? Map.of() : state);
        return updateOne("UPDATE clients SET last_state = ? WHERE uuid = ?", ps -> {
            ps.setString(1, json);
            ps.setString(2, uuid);
        });
    }

    /** The client's free-form metadata (empty if none or unknown). */
    public Map<String, Object> metadata(String uuid) {
        return Sql.queryOne(db.dataSource(), "SELECT metadata FROM clients WHERE uuid = ?",
                ps -> ps.setString(1, uuid), rs -> Json.readMap(rs.getString(1))).orElseGet(Map::of);
    }

    /** Replaces the client's free-form metadata; false if unknown. */
    public CompletionStage<Boolean> saveMetadata(String uuid, Map<String, Object> metadata) {
        String json = Json.write(metadata == null ? Map.of() : metadata);
        return updateOne("UPDATE clients SET metadata = ? WHERE uuid = ?", ps -> {
            ps.setString(1, json);
            ps.setString(2, uuid);
        });
    }

    /** Marks every client offline (at startup: no agent is connected yet); gives how many were online. */
    public CompletionStage<Integer> markAllOffline() {
        return db.write(c -> Sql.update(c, "UPDATE clients SET online = 0 WHERE online <> 0", Sql.NO_PARAMS));
    }

    /** Deletes the client; false if unknown. Its logs stay. */
    public CompletionStage<Boolean> delete(String uuid) {
        return updateOne("DELETE FROM clients WHERE uuid = ?", ps -> ps.setString(1, uuid));
    }

    private CompletionStage<Boolean> updateOne(String sql, Sql.Binder binder) {
        return db.write(c -> Sql.update(c, sql, binder) > 0);
    }

    private static String checkEnrollment(String enrollment) {
        if (enrollment == null || !ENROLLMENTS.contains(enrollment)) {
            throw new IllegalArgumentException("Unknown enrollment state '" + enrollment
                    + "': use pending, approved or rejected");
        }
        return enrollment;
    }

    private static ClientRecord map(ResultSet rs) throws SQLException {
        return new ClientRecord(
                rs.getString("uuid"),
                rs.getString("name"),
                rs.getString("ip_address"),
                rs.getString("enrollment"),
                rs.getString("client_type"),
                rs.getString("agent_version"),
                Json.readStrings(rs.getString("capabilities")),
                Sql.flag(rs, "legacy"),
                rs.getString("credential_hash"),
                Json.readMap(rs.getString("last_state")),
                Sql.instant(rs, "first_seen"),
                Sql.instant(rs, "last_seen"),
                Sql.flag(rs, "online"));
    }
}
