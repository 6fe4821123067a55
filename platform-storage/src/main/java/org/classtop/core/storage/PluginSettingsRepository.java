package org.classtop.core.storage;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/** The {@code plugin_settings} table: values an admin stored for plugins' declared settings. */
public final class PluginSettingsRepository {
    private final PlatformDatabase db;

    public PluginSettingsRepository(PlatformDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** Plugin id to (setting name to value), every stored value. */
    public Map<String, Map<String, String>> all() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String[] row : Sql.query(db.dataSource(), "SELECT plugin_id, name, value FROM plugin_settings ORDER BY plugin_id, name",
                Sql.NO_PARAMS, rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})) {
            out.computeIfAbsent(row[0], id -> new LinkedHashMap<>()).put(row[1], row[2]);
        }
        return out;
    }

    /**
     * Stores every value of {@code values} for {@code pluginId} in one transaction: all of them or none. A null
     * value removes the stored one.
     */
    public CompletionStage<Void> putAll(String pluginId, Map<String, String> values, String by) {
        Objects.requireNonNull(pluginId, "pluginId");
        Map<String, String> copy = new LinkedHashMap<>(values);
        long now = Instant.now().toEpochMilli();
        return db.write(c -> {
            for (Map.Entry<String, String> entry : copy.entrySet()) {
                if (entry.getValue() == null) {
                    Sql.update(c, "DELETE FROM plugin_settings WHERE plugin_id = ? AND name = ?", ps -> {
                        ps.setString(1, pluginId);
                        ps.setString(2, entry.getKey());
                    });
                    continue;
                }
                Sql.update(c, "INSERT INTO plugin_settings (plugin_id, name, value, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (plugin_id, name) DO UPDATE SET value = excluded.value,"
                        + " updated_at = excluded.updated_at, updated_by = excluded.updated_by", ps -> {
                            ps.setString(1, pluginId);
                            ps.setString(2, entry.getKey());
                            Sql.setText(ps, 3, entry.getValue());
                            ps.setLong(4, now);
                            Sql.setText(ps, 5, by);
                        });
            }
            return null;
        });
    }

    /** Forgets every stored value of {@code pluginId} (the plugin was removed with its data). */
    public CompletionStage<Integer> deleteAll(String pluginId) {
        return db.write(c -> Sql.update(c, "DELETE FROM plugin_settings WHERE plugin_id = ?", ps -> ps.setString(1, pluginId)));
    }
}
