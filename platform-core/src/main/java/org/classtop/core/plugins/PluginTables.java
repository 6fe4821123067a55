package org.classtop.core.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.classtop.core.storage.PlatformDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plugin's migrations and records, in the core table {@code plugin_tables}, the tables each run
 * created; a purge drops exactly those, the plugin's Flyway history table and its data folder.
 */
final class PluginTables {
    private static final Logger LOG = LoggerFactory.getLogger(PluginTables.class);

    private final PlatformDatabase database;

    PluginTables(PlatformDatabase database) {
        this.database = database;
    }

    void migrate(String pluginId, ClassLoader loader) {
        Set<String> before = tables();
        database.migrate(pluginId, loader);
        Set<String> created = tables();
        created.removeAll(before);
        created.remove(PlatformDatabase.historyTable(pluginId));
        if (created.isEmpty()) {
            return;
        }
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO plugin_tables (plugin_id, table_name) VALUES (?, ?)")) {
            for (String table : created) {
                insert.setString(1, pluginId);
                insert.setString(2, table);
                insert.addBatch();
            }
            insert.executeBatch();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            LOG.warn("[{}] the tables its migrations created ({}) could not be recorded: {}", pluginId, created, e.getMessage());
        }
    }

    /** Drops the plugin's recorded tables and Flyway history, and deletes its data folder. */
    void purge(String pluginId, Path dataFolder) {
        List<String> dropped = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection()) {
            List<String> recorded = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT table_name FROM plugin_tables WHERE plugin_id = ?")) {
                select.setString(1, pluginId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        recorded.add(rows.getString(1));
                    }
                }
            }
            recorded.add(PlatformDatabase.historyTable(pluginId));
            try (Statement drop = c.createStatement()) {
                for (String table : recorded) {
                    if (table.matches("[A-Za-z0-9_]+")) {
                        drop.execute("DROP TABLE IF EXISTS " + table);
                        dropped.add(table);
                    }
                }
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM plugin_tables WHERE plugin_id = ?")) {
                delete.setString(1, pluginId);
                delete.executeUpdate();
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Plugin '" + pluginId + "': dropping its tables failed: " + e.getMessage(), e);
        }
        if (Files.isDirectory(dataFolder)) {
            try (Stream<Path> paths = Files.walk(dataFolder)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                throw new IllegalStateException("Plugin '" + pluginId + "': deleting its data folder failed: " + e.getMessage(), e);
            }
        }
        LOG.info("[{}] purged: dropped {} and its data folder", pluginId, dropped);
    }

    private Set<String> tables() {
        Set<String> names = new TreeSet<>();
        try (Connection c = database.dataSource().getConnection();
             ResultSet rows = c.getMetaData().getTables(null, database.dialect() == org.classtop.api.server.Database.Dialect.SQLITE
                     ? null : c.getSchema(), "%", new String[]{"TABLE"})) {
            while (rows.next()) {
                names.add(rows.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        } catch (SQLException e) {
            LOG.warn("Listing the database tables failed: {}", e.getMessage());
        }
        return names;
    }
}
