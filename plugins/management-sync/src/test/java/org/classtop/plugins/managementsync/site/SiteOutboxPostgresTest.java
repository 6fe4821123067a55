package org.classtop.plugins.managementsync.site;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * The same outbox tests on PostgreSQL (an LMS may run on {@code --db-url jdbc:postgresql:..}), in a fresh
 * database at 127.0.0.1:5432 created for each test and dropped after; skipped when no server is there.
 */
class SiteOutboxPostgresTest extends SiteOutboxTest {
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private String name;

    @BeforeEach
    void createDatabase() {
        name = "msync_site_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            Assumptions.assumeTrue(false, "PostgreSQL at 127.0.0.1:5432 is not reachable (" + e.getMessage() + ")");
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        close();
        database = null;
        try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    @Override
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:5432/" + name + "?user=postgres";
    }
}
