package org.classtop.core.storage;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gives each test an empty database: a SQLite file in a temp folder, or a fresh schema in the
 * PostgreSQL at 127.0.0.1:5432 (database {@code test}, user {@code postgres}), dropped afterwards.
 * PostgreSQL tests are skipped, with a message, only when that server is unreachable.
 */
abstract class DatabaseTestBase {

    static final String PG_BASE = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String PG_ADMIN = PG_BASE + "?user=postgres&connectTimeout=5";

    @TempDir
    Path dataDir;

    /** null for SQLite. */
    String url;
    private String schema;
    private final List<PlatformDatabase> opened = new ArrayList<>();

    abstract boolean postgres();

    @BeforeEach
    void createDatabase() throws SQLException {
        if (!postgres()) return;
        schema = "ct_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = pgAdmin(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        url = PG_BASE + "?user=postgres&currentSchema=" + schema;
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        for (int i = opened.size() - 1; i >= 0; i--) opened.get(i).close();
        opened.clear();
        if (schema != null) {
            try (Connection c = pgAdmin(); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
            schema = null;
        }
    }

    static Connection pgAdmin() throws SQLException {
        try {
            return DriverManager.getConnection(PG_ADMIN);
        } catch (SQLException e) {
            String state = e.getSQLState();
            if (state != null && state.startsWith("08")) {
                Assumptions.abort("PostgreSQL at 127.0.0.1:5432 (database test, user postgres) is unreachable,"
                        + " skipping the PostgreSQL tests: " + e.getMessage());
            }
            throw e;
        }
    }

    PlatformDatabase open() {
        return open(PlatformDatabase.Options.defaults());
    }

    PlatformDatabase open(PlatformDatabase.Options options) {
        PlatformDatabase db = PlatformDatabase.open(dataDir, url, options);
        opened.add(db);
        return db;
    }

    PlatformDatabase openMigrated() {
        PlatformDatabase db = open();
        db.migrate("core", getClass().getClassLoader());
        return db;
    }

    static long count(PlatformDatabase db, String sqlFrom) {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + sqlFrom)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError("Query on " + sqlFrom + " failed: " + e.getMessage(), e);
        }
    }

    static boolean tableExists(PlatformDatabase db, String table) {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeQuery("SELECT COUNT(*) FROM " + table).close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    static void execute(PlatformDatabase db, String sql) {
        join(db.write(c -> {
            try (Statement st = c.createStatement()) {
                st.execute(sql);
            }
            return null;
        }));
    }

    static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("Timed out waiting for " + what);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("Interrupted waiting for " + what);
            }
        }
    }
}
