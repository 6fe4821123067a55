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
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.Database;
import org.classtop.core.storage.PlatformDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plugin's migrations and records, in the core table {@code plugin_tables}, the tables each run
 * created (also when a migration fails partway); a purge drops exactly those (never one another plugin
 * recorded too), the plugin's Flyway history table and its data folder, in one transaction of the
 * platform's single writer.
 */
final class PluginTables {
    private static final Logger LOG = LoggerFactory.getLogger(PluginTables.class);
    private static final long WRITE_TIMEOUT_SECONDS = 60;

    private final PlatformDatabase database;

    PluginTables(PlatformDatabase database) {
        this.database = database;
    }

    /** What a purge did: whether it dropped the plugin's tables, which, and a sentence when it kept them. */
    record Purge(boolean purged, List<String> dropped, String note) {
    }

    void migrate(String pluginId, ClassLoader loader) {
        Set<String> before = tables();
        try {
            database.migrate(pluginId, loader);
        } finally {
            record(pluginId, before, tables());
        }
    }

    /** Records the tables that appeared, and forgets this plugin's tables that disappeared, during its migration. */
    private void record(String pluginId, Set<String> before, Set<String> after) {
        if (before == null || after == null) {
            LOG.warn("[{}] the tables its migrations created are not recorded: the tables could not be listed", pluginId);
            return;
        }
        Set<String> created = new TreeSet<>(after);
        created.removeAll(before);
        created.remove(PlatformDatabase.historyTable(pluginId));
        Set<String> gone = new TreeSet<>(before);
        gone.removeAll(after);
        if (created.isEmpty() && gone.isEmpty()) {
            return;
        }
        try {
            await(database.write(c -> {
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO plugin_tables (plugin_id, table_name) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                    for (String table : created) {
                        insert.setString(1, pluginId);
                        insert.setString(2, table);
                        insert.executeUpdate();
                    }
                }
                try (PreparedStatement delete = c.prepareStatement(
                        "DELETE FROM plugin_tables WHERE plugin_id = ? AND table_name = ?")) {
                    for (String table : gone) {
                        delete.setString(1, pluginId);
                        delete.setString(2, table);
                        delete.executeUpdate();
                    }
                }
                return null;
            }));
        } catch (RuntimeException e) {
            LOG.warn("[{}] the tables its migrations created ({}) could not be recorded: {}", pluginId, created,
                    e.getMessage());
        }
    }

    /**
     * Drops the plugin's recorded tables (not those another plugin recorded too) and its Flyway history in
     * one transaction, then deletes its data folder. A plugin installed before ClassTop recorded tables
     * (an applied history, nothing recorded) keeps its tables and history: the answer says so.
     */
    Purge purge(String pluginId, Path dataFolder) {
        Purge done;
        try {
            done = await(database.write(c -> dropTables(c, pluginId)));
        } catch (RuntimeException e) {
            throw new ApiException(500, "PURGE_FAILED", "Plugin '" + pluginId + "': dropping its tables failed, nothing"
                    + " was dropped (" + e.getMessage() + "); purge again with DELETE /api/plugins/" + pluginId
                    + "?purge=true.");
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
        if (done.purged()) {
            LOG.info("[{}] purged: dropped {} and its data folder", pluginId, done.dropped());
        } else {
            LOG.warn("[{}] {}", pluginId, done.note());
        }
        return done;
    }

    private Purge dropTables(Connection c, String pluginId) throws SQLException {
        List<String> recorded = new ArrayList<>();
        List<String> shared = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT t.table_name, (SELECT COUNT(*) FROM plugin_tables o"
                + " WHERE o.table_name = t.table_name AND o.plugin_id <> t.plugin_id) FROM plugin_tables t"
                + " WHERE t.plugin_id = ? ORDER BY t.table_name")) {
            select.setString(1, pluginId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    (rows.getLong(2) == 0 ? recorded : shared).add(rows.getString(1));
                }
            }
        }
        String history = PlatformDatabase.historyTable(pluginId);
        if (recorded.isEmpty() && shared.isEmpty() && appliedMigrations(c, history) > 0) {
            return new Purge(false, List.of(), "Plugin '" + pluginId + "' was installed before ClassTop recorded plugin"
                    + " tables; its tables were kept: drop them by hand.");
        }
        if (!shared.isEmpty()) {
            LOG.info("[{}] purge keeps {}: another plugin recorded them too", pluginId, shared);
        }
        List<String> doomed = new ArrayList<>();
        for (String table : recorded) {
            if (table.matches("[A-Za-z0-9_]+")) {
                doomed.add(table);
            } else {
                LOG.warn("[{}] purge skips the recorded table name '{}': not a plain name", pluginId, table);
            }
        }
        doomed.add(history);
        if (database.dialect() == Database.Dialect.POSTGRESQL) {
            try (Statement drop = c.createStatement()) {
                drop.execute("DROP TABLE IF EXISTS " + String.join(", ", doomed) + " CASCADE");
            }
        } else {
            dropInAnyOrder(c, doomed);
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM plugin_tables WHERE plugin_id = ?")) {
            delete.setString(1, pluginId);
            delete.executeUpdate();
        }
        return new Purge(true, List.copyOf(doomed), null);
    }

    /**
     * SQLite: a table whose rows other tables still reference cannot be dropped before them, so the drops that
     * fail are tried again after the others, until all are gone or a round drops nothing (then the work throws
     * and the writer rolls all of it back).
     */
    private static void dropInAnyOrder(Connection c, List<String> tables) throws SQLException {
        List<String> left = tables;
        while (!left.isEmpty()) {
            List<String> failed = new ArrayList<>();
            SQLException last = null;
            for (String table : left) {
                try (Statement drop = c.createStatement()) {
                    drop.execute("DROP TABLE IF EXISTS " + table);
                } catch (SQLException e) {
                    failed.add(table);
                    last = e;
                }
            }
            if (failed.size() == left.size()) {
                throw new SQLException("table" + (failed.size() > 1 ? "s " : " ") + failed + " could not be dropped: "
                        + last.getMessage(), last);
            }
            left = failed;
        }
    }

    /** Successful rows of a Flyway history table; 0 when there is no such table. */
    private long appliedMigrations(Connection c, String history) throws SQLException {
        String exists = database.dialect() == Database.Dialect.POSTGRESQL
                ? "SELECT 1 WHERE to_regclass(?) IS NOT NULL"
                : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?";
        try (PreparedStatement check = c.prepareStatement(exists)) {
            check.setString(1, history);
            try (ResultSet rows = check.executeQuery()) {
                if (!rows.next()) {
                    return 0;
                }
            }
        }
        try (Statement count = c.createStatement();
             ResultSet rows = count.executeQuery("SELECT COUNT(*) FROM " + history + " WHERE success")) {
            return rows.next() ? rows.getLong(1) : 0;
        }
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the database did not answer within " + WRITE_TIMEOUT_SECONDS + " s", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(cause.getMessage(), cause);
        }
    }

    /** The tables of the database (lower case), or null when they cannot be listed. */
    private Set<String> tables() {
        Set<String> names = new TreeSet<>();
        try (Connection c = database.dataSource().getConnection();
             ResultSet rows = c.getMetaData().getTables(null, database.dialect() == Database.Dialect.SQLITE
                     ? null : c.getSchema(), "%", new String[]{"TABLE"})) {
            while (rows.next()) {
                names.add(rows.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        } catch (SQLException e) {
            LOG.warn("Listing the database tables failed: {}", e.getMessage());
            return null;
        }
        return names;
    }
}
