package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.classtop.testing.pluginjars.HelloAgent;
import org.classtop.testing.pluginjars.HelloPlugin;
import org.classtop.testing.pluginjars.PluginJar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code DELETE /api/plugins/{id}?purge=true} through a real server: a purge that fails drops nothing and can
 * be run again for the removed id; a plugin installed before ClassTop recorded plugin tables keeps its tables
 * and the answer says so. The server's SQLite file is changed and read beside it.
 */
class PluginPurgeTest {
    private static final String JAR = "application/java-archive";

    @TempDir
    Path work;

    private TestServer server;
    private ApiClient api;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.builder().start();
        api = server.api();
        PluginJar hello = new PluginJar("hello", "1.0.0").extension(HelloPlugin.class).extension(HelloAgent.class)
                .resource("static/hello/panel.js", "customElements.define('classtop-hello-main', class extends HTMLElement {});")
                .resource("db/hello/common/V1__rows.sql", "CREATE TABLE hello_rows (note VARCHAR(20));\n"
                        + "INSERT INTO hello_rows (note) VALUES ('v1');\n");
        ApiResult installed = api.sendBytes("POST", "/api/plugins", JAR, hello.bytes(work));
        assertEquals(201, installed.status(), installed.text());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("classtop.db"));
             Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
            s.execute(statement);
        }
    }

    private List<String> helloTables() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("classtop.db"));
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name LIKE '%hello%' ORDER BY name")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    @Test
    void aFailedPurgeDropsNothingAndIsRunAgainForTheRemovedPlugin() throws Exception {
        sql("CREATE VIEW hello_view AS SELECT note FROM hello_rows");
        sql("INSERT INTO plugin_tables (plugin_id, table_name) VALUES ('hello', 'hello_view')");

        ApiResult failed = api.delete("/api/plugins/hello?purge=true");
        assertEquals(500, failed.status(), failed.text());
        assertTrue(failed.error().startsWith("Plugin 'hello': dropping its tables failed, nothing was dropped ("),
                failed.text());
        assertTrue(failed.error().endsWith("); purge again with DELETE /api/plugins/hello?purge=true."), failed.text());
        assertEquals(List.of("flyway_history_hello", "hello_rows", "hello_view"), helloTables(), "nothing dropped");

        sql("DROP VIEW hello_view");
        ApiResult again = api.delete("/api/plugins/hello?purge=true");
        assertEquals(200, again.status(), again.text());
        assertTrue(again.data().path("purged").asBoolean(), again.text());
        assertEquals(List.of(), helloTables());
    }

    @Test
    void aPluginInstalledBeforeTablesWereRecordedKeepsThemAndTheAnswerSaysSo() throws Exception {
        sql("DELETE FROM plugin_tables WHERE plugin_id = 'hello'");

        ApiResult removed = api.delete("/api/plugins/hello?purge=true");

        assertEquals(200, removed.status(), removed.text());
        assertTrue(removed.data().path("removed").asBoolean(), removed.text());
        assertFalse(removed.data().path("purged").asBoolean(), removed.text());
        assertEquals("Plugin 'hello' was installed before ClassTop recorded plugin tables; its tables were kept: drop"
                + " them by hand.", removed.data().path("purge_note").asText());
        assertEquals(List.of("flyway_history_hello", "hello_rows"), helloTables());
    }
}
