package org.classtop.core.storage;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The {@code lms_config} table: the server's own key/value settings. */
public final class ConfigRepository {

    private final PlatformDatabase db;

    public ConfigRepository(PlatformDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    public Optional<String> get(String key) {
        return Sql.queryOne(db.dataSource(), "SELECT value FROM lms_config WHERE key = ?",
                ps -> ps.setString(1, key), rs -> Optional.ofNullable(rs.getString(1))).flatMap(v -> v);
    }

    /** Every key and value, by key. */
    public Map<String, String> all() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String[] row : Sql.query(db.dataSource(), "SELECT key, value FROM lms_config ORDER BY key", Sql.NO_PARAMS,
                rs -> new String[] {rs.getString(1), rs.getString(2)})) {
            out.put(row[0], row[1]);
        }
        return out;
    }

    /** Sets the value (inserting the key if new). */
    public CompletionStage<Void> put(String key, String value) {
        Objects.requireNonNull(key, "key");
        long now = Instant.now().toEpochMilli();
        return db.write(c -> {
            Sql.update(c, "INSERT INTO lms_config (key, value, updated_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at", ps -> {
                        ps.setString(1, key);
                        Sql.setText(ps, 2, value);
                        ps.setLong(3, now);
                    });
            return null;
        });
    }

    /** Removes the key; false if it was not set. */
    public CompletionStage<Boolean> delete(String key) {
        return db.write(c -> Sql.update(c, "DELETE FROM lms_config WHERE key = ?", ps -> ps.setString(1, key)) > 0);
    }
}
