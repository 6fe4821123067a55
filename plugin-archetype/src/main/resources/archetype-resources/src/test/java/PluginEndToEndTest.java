package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.classtop.testing.RealAgent;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Plugin '${pluginId}' end to end: the real server on a free port with the plugin installed in-process
 * (its migration runs), and the real agent runtime with the plugin's agent side, connected to it.
 */
class PluginEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Used when a PostgreSQL answers there; the test on it is skipped otherwise. */
    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @Test
    void aClientGreetsAndTheServerKeepsWhatItSaidOnSqlite() {
        try (TestServer server = TestServer.builder().plugin("${pluginId}", new ServerSide(), new AgentSide()).start();
             RealAgent pc = server.realAgent("pc-1").name("Room 1").plugin("${pluginId}", new AgentSide()).start()) {
            greetsKeepsAndRefuses(server, pc);
        }
    }

    @Test
    void theSameMigrationAndRoutesWorkOnPostgresql() throws SQLException {
        String schema = "plugin_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            Assumptions.assumeTrue(false, "No PostgreSQL at 127.0.0.1:5432 (" + e.getMessage() + ")");
        }
        try (TestServer server = TestServer.builder().dbUrl(POSTGRES + "&currentSchema=" + schema)
                .plugin("${pluginId}", new ServerSide(), new AgentSide()).start();
             RealAgent pc = server.realAgent("pc-1").plugin("${pluginId}", new AgentSide()).start()) {
            assertEquals("postgresql", server.api().get("/api/system/status").data().path("database").asText());
            greetsKeepsAndRefuses(server, pc);
        } finally {
            try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private static void greetsKeepsAndRefuses(TestServer server, RealAgent pc) {
        assertEquals(List.of(ServerSide.GREET), pc.commands(), "the agent runs the plugin's command");
        ApiResult greeted = server.api().post("/api/${pluginId}/pc-1/greet", Map.of("text", "Good morning"));
        assertEquals(200, greeted.status(), greeted.toString());
        assertEquals("Good morning from pc-1", greeted.data().path("said").asText());

        JsonNode greetings = server.api().get("/api/${pluginId}/pc-1/greetings").data();
        assertEquals(1, greetings.size(), greetings.toString());
        assertEquals("Good morning from pc-1", greetings.path(0).path("said").asText());
        Poll.until("the agent's event ${pluginId}.greeted to be logged", WAIT,
                () -> server.api().get("/api/events?client=pc-1&prefix=${pluginId}.").data().size() > 0);

        ApiResult empty = server.api().post("/api/${pluginId}/pc-1/greet", Map.of("text", " "));
        assertEquals(400, empty.status(), empty.toString());
        assertEquals("The greeting needs a text of 1 to 200 characters.", empty.error());
        ApiResult nobody = server.api().post("/api/${pluginId}/nobody/greet", Map.of("text", "Hello"));
        assertEquals(404, nobody.status(), nobody.toString());
        assertEquals("CLIENT_NOT_FOUND", nobody.code());

        assertTrue(server.api().get("/api/ui/panels").data().toString().contains("${pluginId}-panel"));
        ApiResult panel = server.api().anonymous().get("/plugins/${pluginId}/panel.js");
        assertEquals(200, panel.status(), panel.toString());
        assertTrue(panel.text().contains("customElements.define"), "the panel script is served");
    }
}
