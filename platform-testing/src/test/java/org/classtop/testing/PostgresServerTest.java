package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole server on PostgreSQL (as the management role runs it): migrations, agents, commands and
 * their log, and what survives a restart. Uses the PostgreSQL at 127.0.0.1:5432 (database test,
 * user postgres) in a schema of its own; skipped with a message when no server is there.
 */
class PostgresServerTest {
    private static final String BASE = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private String schema;

    @BeforeEach
    void createSchema() {
        schema = "classtop_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(BASE); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            Assumptions.assumeTrue(false, "PostgreSQL at 127.0.0.1:5432 is not reachable (" + e.getMessage() + ")");
        }
    }

    @AfterEach
    void dropSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(BASE); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void serverRunsOnPostgresqlAndKeepsItsHistoryAcrossARestart() {
        try (TestServer server = TestServer.builder().dbUrl(BASE + "&currentSchema=" + schema).start()) {
            assertEquals("postgresql", server.api().get("/api/system/status").data().path("database").asText());
            try (FakeAgent agent = server.agent("pg-1", "Room PG", a -> a.on("echo", p -> Map.of("echo", p)))) {
                ApiResult answer = server.api().post("/api/clients/pg-1/command", Map.of("command", "echo", "params", Map.of("n", 1)));
                assertEquals(200, answer.status(), answer.toString());
            }
            server.restart();
            assertEquals("Room PG", server.api().get("/api/clients/pg-1").data().path("name").asText());
            assertEquals("offline", server.api().get("/api/clients/pg-1").data().path("status").asText());
            assertEquals("echo", server.api().get("/api/commands?client=pg-1").data().path(0).path("command").asText());
            try (FakeAgent back = server.agent("pg-1", "Room PG", a -> a.on("echo", p -> Map.of("echo", p)))) {
                Poll.until("online again", Duration.ofSeconds(10),
                        () -> "online".equals(server.api().get("/api/clients/pg-1").data().path("status").asText()));
                assertTrue(server.api().post("/api/clients/pg-1/command", Map.of("command", "echo")).success());
            }
        }
    }
}
