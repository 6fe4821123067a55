package org.classtop.core.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.classtop.api.server.ApiException;
import org.classtop.core.storage.PlatformDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording the tables a plugin's migrations create and purging them, on SQLite and on PostgreSQL (a fresh
 * database at 127.0.0.1:5432, user postgres; that run is skipped with a message when no server is there).
 */
class PluginTablesTest {

    @Nested
    class OnSqlite extends Contract {
        @Override
        String jdbcUrl() {
            return null;
        }
    }

    @Nested
    class OnPostgresql extends Contract {
        private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
        private String database;

        @Override
        String jdbcUrl() {
            database = "classtop_tables_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + database);
            } catch (SQLException e) {
                Assumptions.assumeTrue(false, "PostgreSQL at 127.0.0.1:5432 is not reachable, the PostgreSQL run is"
                        + " skipped (" + e.getMessage() + ")");
            }
            return "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres";
        }

        @AfterEach
        void dropDatabase() throws SQLException {
            if (database != null) {
                db.close();
                try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                }
            }
        }
    }

    abstract static class Contract {
        @TempDir
        Path work;

        PlatformDatabase db;
        PluginTables tables;

        abstract String jdbcUrl();

        private PluginTables open() {
            if (db == null) {
                db = PlatformDatabase.open(work.resolve("data"), jdbcUrl());
                db.migrate("core", getClass().getClassLoader());
                tables = new PluginTables(db);
            }
            return tables;
        }

        @AfterEach
        void close() {
            if (db != null) {
                db.close();
            }
        }

        /** A class loader holding {@code db/<id>/common/<file>} migrations. */
        private ClassLoader migrations(String id, Map<String, String> files) throws Exception {
            Path root = Files.createTempDirectory(work, id);
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = root.resolve("db/" + id + "/common/" + file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
            }
            return new URLClassLoader(new URL[]{root.toUri().toURL()}, null);
        }

        private void migrateLinkedTables() throws Exception {
            open().migrate("msync", migrations("msync", Map.of("V1__lms.sql",
                    "CREATE TABLE msync_lms (id INTEGER PRIMARY KEY, name VARCHAR(20));\n"
                            + "CREATE TABLE msync_lms_clients (id INTEGER PRIMARY KEY,"
                            + " lms INTEGER NOT NULL REFERENCES msync_lms (id));\n"
                            + "INSERT INTO msync_lms (id, name) VALUES (1, 'a');\n"
                            + "INSERT INTO msync_lms_clients (id, lms) VALUES (1, 1);\n")));
            open().migrate("other", migrations("other", Map.of("V1__rows.sql",
                    "CREATE TABLE other_rows (note VARCHAR(20));\nINSERT INTO other_rows (note) VALUES ('kept');\n")));
        }

        private List<String> existing() throws SQLException {
            List<String> names = new ArrayList<>();
            try (Connection c = db.dataSource().getConnection();
                 ResultSet rows = c.getMetaData().getTables(null, db.dialect() == PlatformDatabase.Dialect.SQLITE
                         ? null : c.getSchema(), "%", new String[]{"TABLE"})) {
                while (rows.next()) {
                    String name = rows.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                    if (name.startsWith("msync") || name.startsWith("other") || name.startsWith("flyway_history_msync")
                            || name.startsWith("flyway_history_other") || name.startsWith("half")
                            || name.startsWith("flyway_history_half")) {
                        names.add(name);
                    }
                }
            }
            names.sort(null);
            return names;
        }

        private List<String> recorded(String pluginId) throws SQLException {
            List<String> names = new ArrayList<>();
            try (Connection c = db.dataSource().getConnection();
                 var select = c.prepareStatement("SELECT table_name FROM plugin_tables WHERE plugin_id = ? ORDER BY table_name")) {
                select.setString(1, pluginId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        names.add(rows.getString(1));
                    }
                }
            }
            return names;
        }

        private void write(String sql) {
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute(sql);
                }
                return null;
            }).toCompletableFuture().join();
        }

        @Test
        void purgeDropsTablesLinkedByAForeignKeyAndNothingOfAnotherPlugin() throws Exception {
            migrateLinkedTables();
            assertEquals(List.of("msync_lms", "msync_lms_clients"), recorded("msync"));
            Path dataFolder = Files.createDirectories(work.resolve("data/plugins/msync/cache"));
            Files.writeString(dataFolder.resolve("file.txt"), "x");

            PluginTables.Purge purge = tables.purge("msync", work.resolve("data/plugins/msync"));

            assertTrue(purge.purged());
            assertEquals(null, purge.note());
            assertEquals(List.of("flyway_history_other", "other_rows"), existing());
            assertEquals(List.of(), recorded("msync"));
            assertEquals(List.of("other_rows"), recorded("other"));
            assertFalse(Files.exists(work.resolve("data/plugins/msync")), "its data folder is gone");
        }

        @Test
        void aTableAnotherPluginRecordedTooIsKept() throws Exception {
            migrateLinkedTables();
            write("INSERT INTO plugin_tables (plugin_id, table_name) VALUES ('other', 'msync_lms')");

            PluginTables.Purge purge = tables.purge("msync", work.resolve("data/plugins/msync"));

            assertTrue(purge.purged());
            assertEquals(List.of("msync_lms_clients", "flyway_history_msync"), purge.dropped());
            assertEquals(List.of("flyway_history_other", "msync_lms", "other_rows"), existing());
            assertEquals(List.of("msync_lms", "other_rows"), recorded("other"));
        }

        @Test
        void aFailedPurgeDropsNothingAndCanBeRedone() throws Exception {
            migrateLinkedTables();
            write("CREATE VIEW msync_view AS SELECT * FROM msync_lms");
            write("INSERT INTO plugin_tables (plugin_id, table_name) VALUES ('msync', 'msync_view')");

            ApiException failed = assertThrows(ApiException.class,
                    () -> tables.purge("msync", work.resolve("data/plugins/msync")));

            assertEquals(500, failed.status());
            assertTrue(failed.getMessage().startsWith("Plugin 'msync': dropping its tables failed, nothing was dropped ("),
                    failed.getMessage());
            assertTrue(failed.getMessage().endsWith("); purge again with DELETE /api/plugins/msync?purge=true."),
                    failed.getMessage());
            assertEquals(List.of("flyway_history_msync", "flyway_history_other", "msync_lms", "msync_lms_clients",
                    "other_rows"), existing(), "nothing dropped");
            assertEquals(List.of("msync_lms", "msync_lms_clients", "msync_view"), recorded("msync"));

            write("DROP VIEW msync_view");
            assertTrue(tables.purge("msync", work.resolve("data/plugins/msync")).purged());
            assertEquals(List.of("flyway_history_other", "other_rows"), existing());
            assertEquals(List.of(), recorded("msync"));
        }

        @Test
        void aMigrationFailingPartwayRecordsTheTablesCreatedSoFar() throws Exception {
            ClassLoader migrations = migrations("half", Map.of(
                    "V1__first.sql", "CREATE TABLE half_first (id INTEGER);\n",
                    "V2__broken.sql", "CREATE TABLE half_second (id INTEGER);\nTHIS IS NOT SQL;\n"));

            assertThrows(RuntimeException.class, () -> open().migrate("half", migrations));

            assertEquals(List.of("half_first"), recorded("half"));
            assertTrue(tables.purge("half", work.resolve("data/plugins/half")).purged());
            assertEquals(List.of(), existing());
        }

        @Test
        void aTableALaterMigrationDropsIsForgotten() throws Exception {
            open().migrate("msync", migrations("msync", Map.of("V1__two.sql",
                    "CREATE TABLE msync_a (id INTEGER);\nCREATE TABLE msync_b (id INTEGER);\n")));
            assertEquals(List.of("msync_a", "msync_b"), recorded("msync"));

            tables.migrate("msync", migrations("msync", Map.of(
                    "V1__two.sql", "CREATE TABLE msync_a (id INTEGER);\nCREATE TABLE msync_b (id INTEGER);\n",
                    "V2__drop.sql", "DROP TABLE msync_b;\n")));

            assertEquals(List.of("msync_a"), recorded("msync"));
        }

        @Test
        void aPluginInstalledBeforeTablesWereRecordedKeepsItsTablesAndHistory() throws Exception {
            migrateLinkedTables();
            write("DELETE FROM plugin_tables WHERE plugin_id = 'msync'");

            PluginTables.Purge purge = tables.purge("msync", work.resolve("data/plugins/msync"));

            assertFalse(purge.purged());
            assertEquals("Plugin 'msync' was installed before ClassTop recorded plugin tables; its tables were kept:"
                    + " drop them by hand.", purge.note());
            assertEquals(List.of("flyway_history_msync", "flyway_history_other", "msync_lms", "msync_lms_clients",
                    "other_rows"), existing());
        }
    }
}
