package org.classtop.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.classtop.api.server.Database.Dialect;
import org.junit.jupiter.api.Test;

abstract class MigrationContract extends DatabaseTestBase {

    static final List<String> CORE_TABLES = List.of("clients", "connection_logs", "command_logs", "event_logs",
            "cctv_logs", "lms_config", "users", "api_sessions", "enrollment_tokens", "api_tokens", "audit_log");

    @Test
    void coreMigrationsCreateTheSchemaAndAreIdempotentOnRestart() {
        PlatformDatabase db = openMigrated();
        assertEquals(postgres() ? Dialect.POSTGRESQL : Dialect.SQLITE, db.dialect());
        for (String table : CORE_TABLES) assertTrue(tableExists(db, table), table + " should exist");
        long shipped = coreMigrationFiles();
        assertTrue(shipped >= 3, "the core ships V1, V1_1 and V1_2 at least");
        assertEquals(shipped, count(db, "flyway_history_core WHERE success = " + (postgres() ? "true" : "1")));
        join(new ConfigRepository(db).put("site", "north"));

        assertEquals(1, db.flywayRuns(), "the first start migrates through Flyway");
        db.migrate("core", getClass().getClassLoader()); // again, same process
        assertEquals(1, db.flywayRuns(), "nothing new: no Flyway");
        db.close();

        PlatformDatabase again = openMigrated(); // restart
        again.migrate("core", getClass().getClassLoader());
        assertEquals(0, again.flywayRuns(), "a restart with every script applied needs no Flyway (checksums read as Flyway does)");
        assertEquals(shipped, count(again, "flyway_history_core"));
        assertEquals("north", new ConfigRepository(again).get("site").orElseThrow());
    }

    @Test
    void aPluginModuleMigratesWithItsOwnHistoryTableOnANonEmptyDatabase() throws IOException {
        PlatformDatabase db = openMigrated();
        join(new ConfigRepository(db).put("kept", "yes"));
        String dialectDir = postgres() ? "postgresql" : "sqlite";
        Path pluginRoot = Files.createDirectories(dataDir.resolve("plugin-classes"));
        write(pluginRoot, "db/demo-plugin.x/common/V1__demo.sql",
                "CREATE TABLE demo_items (id BIGINT PRIMARY KEY, name TEXT NOT NULL);");
        write(pluginRoot, "db/demo-plugin.x/" + dialectDir + "/V2__demo_" + dialectDir + ".sql",
                "INSERT INTO demo_items (id, name) VALUES (1, '" + dialectDir + "');");

        try (URLClassLoader loader = pluginLoader(pluginRoot)) {
            db.migrate("demo-plugin.x", loader);
            assertEquals(1, count(db, "demo_items WHERE name = '" + dialectDir + "'"));
            // history: the baseline (version 0) plus two migrations, apart from core's
            assertEquals(3, count(db, "flyway_history_demo_plugin_x"));
            assertEquals(1, count(db, "flyway_history_demo_plugin_x WHERE version = '0'"));
            assertEquals(coreMigrationFiles(), count(db, "flyway_history_core"));
            assertEquals("yes", new ConfigRepository(db).get("kept").orElseThrow());
            db.migrate("demo-plugin.x", loader);
            assertEquals(3, count(db, "flyway_history_demo_plugin_x"));
        }
        db.close();

        // a new plugin version adds V3; after a restart only V3 runs
        write(pluginRoot, "db/demo-plugin.x/common/V3__more.sql", "INSERT INTO demo_items (id, name) VALUES (3, 'v3');");
        PlatformDatabase again = openMigrated();
        try (URLClassLoader loader = pluginLoader(pluginRoot)) {
            again.migrate("demo-plugin.x", loader);
            assertEquals(1, again.flywayRuns(), "a new script goes through Flyway");
            again.migrate("demo-plugin.x", loader);
            assertEquals(1, again.flywayRuns(), "then everything is applied");
        }
        assertEquals(2, count(again, "demo_items"));
        assertEquals(4, count(again, "flyway_history_demo_plugin_x"));
    }

    @Test
    void anAppliedScriptChangedAfterwardsStillFailsFlywaysValidation() throws IOException {
        PlatformDatabase db = openMigrated();
        Path root = Files.createDirectories(dataDir.resolve("changed-plugin"));
        write(root, "db/changed/common/V1__items.sql", "CREATE TABLE changed_items (id BIGINT PRIMARY KEY);\n");
        try (URLClassLoader loader = pluginLoader(root)) {
            db.migrate("changed", loader);
        }
        db.close();

        write(root, "db/changed/common/V1__items.sql", "CREATE TABLE changed_items (id BIGINT PRIMARY KEY, name TEXT);\n");
        PlatformDatabase again = openMigrated();
        try (URLClassLoader loader = pluginLoader(root)) {
            MigrationException e = assertThrows(MigrationException.class, () -> again.migrate("changed", loader));
            assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        }
        assertEquals(1, again.flywayRuns(), "the changed checksum sent it to Flyway");

        // A renamed description is a validation error too, and a BOM or CRLF line ends change nothing.
        write(root, "db/changed/common/V1__items.sql", "\uFEFFCREATE TABLE changed_items (id BIGINT PRIMARY KEY);\r\n");
        try (URLClassLoader loader = pluginLoader(root)) {
            again.migrate("changed", loader);
        }
        assertEquals(1, again.flywayRuns(), "same lines: applied");
        Files.move(root.resolve("db/changed/common/V1__items.sql"), root.resolve("db/changed/common/V1__things.sql"));
        try (URLClassLoader loader = pluginLoader(root)) {
            MigrationException e = assertThrows(MigrationException.class, () -> again.migrate("changed", loader));
            assertTrue(e.getMessage().contains("description mismatch"), e.getMessage());
        }
    }

    @Test
    void aModuleWithoutMigrationFilesIsANoOp() throws IOException {
        PlatformDatabase db = openMigrated();
        try (URLClassLoader loader = pluginLoader(Files.createDirectories(dataDir.resolve("empty-plugin")))) {
            db.migrate("no-migrations", loader);
        }
        assertFalse(tableExists(db, "flyway_history_no_migrations"));
    }

    @Test
    void aFailingMigrationThrowsAReadableMessage() throws IOException {
        PlatformDatabase db = openMigrated();
        Path root = Files.createDirectories(dataDir.resolve("broken-plugin"));
        write(root, "db/broken/common/V1__broken.sql", "CREATE TABLE broken_one (id BIGINT PRIMARY KEY);\nCREATE TABLE (;");
        try (URLClassLoader loader = pluginLoader(root)) {
            MigrationException e = assertThrows(MigrationException.class, () -> db.migrate("broken", loader));
            assertTrue(e.getMessage().startsWith("Database migration of module 'broken' failed"), e.getMessage());
        }
        // the database is still usable
        join(new ConfigRepository(db).put("after", "failure"));
        assertEquals("failure", new ConfigRepository(db).get("after").orElseThrow());
    }

    @Test
    void historyTableNamesAreSanitised() {
        assertEquals("flyway_history_core", PlatformDatabase.historyTable("core"));
        assertEquals("flyway_history_cctv_recording", PlatformDatabase.historyTable("cctv-recording"));
        assertEquals("flyway_history_my_plugin_v2", PlatformDatabase.historyTable("My.Plugin v2"));
        assertTrue(PlatformDatabase.historyTable("x".repeat(200)).length() <= 63);
    }

    /** The core migration files this build ships for the dialect under test (common ones and its own). */
    private long coreMigrationFiles() {
        long files = 0;
        for (String dir : List.of("common", postgres() ? "postgresql" : "sqlite")) {
            URL url = getClass().getClassLoader().getResource("db/core/" + dir);
            if (url == null) continue;
            try (var listing = Files.list(Path.of(url.toURI()))) {
                files += listing.filter(p -> p.getFileName().toString().matches("V[0-9_]+__.*\\.sql")).count();
            } catch (IOException | java.net.URISyntaxException e) {
                throw new AssertionError("Cannot list " + url, e);
            }
        }
        return files;
    }

    private static URLClassLoader pluginLoader(Path root) throws IOException {
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, MigrationContract.class.getClassLoader());
    }

    private static void write(Path root, String resource, String content) throws IOException {
        Path file = root.resolve(resource);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
