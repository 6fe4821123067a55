package org.classtop.plugins.managementsync.centre;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;

/**
 * The centre on PostgreSQL, as the management role runs it: a fresh database at 127.0.0.1:5432 (user postgres)
 * for each test, dropped after; skipped with a message when no server is there.
 */
class PostgresCentreTest extends CentreContract {
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private String database;

    @Override
    protected void prepareDatabase() {
        database = "classtop_msync_" + randomSuffix();
        try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            database = null;
            Assumptions.assumeTrue(false, "PostgreSQL at 127.0.0.1:5432 is not reachable, the PostgreSQL run is skipped ("
                    + e.getMessage() + ")");
        }
    }

    @Override
    protected void dropDatabase() {
        if (database == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop the test database " + database, e);
        }
    }

    @Override
    protected String dbUrl() {
        return "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres";
    }

    @Override
    protected Connection connection() throws Exception {
        return DriverManager.getConnection(dbUrl());
    }
}
