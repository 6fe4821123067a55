package org.classtop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.FakeAgent;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code bin/classtop-lms --role management --db-url jdbc:postgresql://...} with the real management-sync
 * jar: an LMS registers, heartbeats, connects its WebSocket to {@code /ws} as {@code client_type:"lms"} and
 * relays a routed command (a fake LMS answering {@code lms_relay}); its key, id and clients survive a restart of
 * the centre. A fresh PostgreSQL database per run (127.0.0.1:5432, user postgres), dropped after; skipped with a
 * message when no PostgreSQL is there.
 */
class ManagementCentreIT {
    static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    @TempDir
    Path work;

    @RegisterExtension
    final StartedResources started = new StartedResources();

    private String database;

    /** Creates a fresh database; answers its JDBC URL (or skips the test without PostgreSQL). */
    static String freshDatabase(String name) {
        try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            Assumptions.assumeTrue(false, "PostgreSQL at 127.0.0.1:5432 is not reachable, skipped (" + e.getMessage() + ")");
        }
        return "jdbc:postgresql://127.0.0.1:5432/" + name + "?user=postgres";
    }

    static void drop(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    @BeforeEach
    void createDatabase() {
        database = "classtop_centre_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        started.afterEach(null); // the servers stop before their database goes
        drop(database);
    }

    static FakeAgent fakeLms(String baseUrl, String lmsUuid, String key) {
        FakeAgent lms = new FakeAgent(lmsUuid);
        lms.on("lms_relay", p -> {
            if ("pc-1".equals(p.path("target_client").asText())) {
                return Map.of("echo", p.path("params"), "by", "pc-1");
            }
            throw new FakeAgent.Failure("No client '" + p.path("target_client").asText() + "' is connected to this LMS.",
                    Map.of("code", "CLIENT_NOT_FOUND"));
        });
        lms.register(baseUrl.replace("http", "ws") + "/ws", "Fake LMS", Map.of("client_type", "lms", "token", key,
                "capabilities", List.of("lms_relay")));
        return lms;
    }

    @Test
    void theManagementRoleOnPostgresqlServesSitesAndRoutesCommands() {
        String dbUrl = freshDatabase(database);
        String adminToken = LmsServer.randomToken();
        Path data = work.resolve("centre-data");
        LmsServer centre = started.track(LmsServer.start(work, adminToken, data, 0, "--role", "management", "--db-url", dbUrl,
                "--enrollment", "token"));
        ApiClient api = centre.api();
        assertEquals("postgresql", api.get("/api/system/status").data().path("database").asText());

        // Registration needs the admin token or an enrolment token outside open enrolment.
        Map<String, Object> lms = Map.of("lms_uuid", "lms-it", "name", "IT campus", "host", "127.0.0.1", "port", 8000, "version", "0.1.0");
        assertEquals(401, api.anonymous().post("/api/lms/register", lms).status());
        String token = api.post("/api/enrollment/tokens", Map.of("name", "lms")).data().path("token").asText();
        ApiResult reg = ApiClient.withToken(centre.url(), token).post("/api/lms/register", lms);
        assertEquals(200, reg.status(), reg.toString());
        String key = reg.data().path("api_key").asText();
        String lmsId = reg.data().path("lms_id").asText();

        ApiClient asLms = ApiClient.withToken(centre.url(), key);
        ApiResult hb = asLms.post("/api/lms/heartbeat", Map.of("lms_uuid", "lms-it", "client_count", 2, "outbox", 3, "seq", 1,
                "clients", List.of(Map.of("uuid", "pc-1", "name", "Room 1", "status", "online"),
                        Map.of("uuid", "pc-2", "name", "Room 2", "status", "offline"))));
        assertEquals(200, hb.status(), hb.toString());
        JsonNode site = api.get("/api/lms/" + lmsId).data();
        assertEquals("online", site.path("status").asText());
        assertEquals(3, site.path("outbox").asInt());

        try (FakeAgent fake = fakeLms(centre.url(), "lms-it", key)) {
            fake.await("registered", Duration.ofSeconds(20));
            Poll.until("the LMS link is up", Duration.ofSeconds(20), () -> api.get("/api/lms").data().path(0).path("connected").asBoolean());
            ApiResult answer = api.post("/api/control/command", Map.of("target_client", "pc-1", "request_id", "it-1",
                    "command", "get_setting", "params", Map.of("key", "theme")));
            assertEquals(200, answer.status(), answer.toString());
            assertEquals("theme", answer.data().path("echo").path("key").asText());
            ApiResult missing = api.post("/api/control/command", Map.of("target_client", "pc-2", "command", "x"));
            assertEquals(404, missing.status(), missing.toString());
            assertEquals("CLIENT_NOT_FOUND", missing.code());
        }

        // A restart of the centre: the LMS keeps its id and key, the clients are still known.
        int exit = centre.stop();
        assertTrue(exit == 0 || exit == 143, "the centre stops cleanly on SIGTERM, exit " + exit);
        LmsServer again = started.track(LmsServer.start(work, adminToken, data, 0, "--role", "management", "--db-url", dbUrl,
                "--enrollment", "token"));
        ApiClient asLmsAgain = ApiClient.withToken(again.url(), key);
        ApiResult replay = asLmsAgain.post("/api/lms/heartbeat", Map.of("lms_uuid", "lms-it", "client_count", 0, "seq", 1,
                "clients", List.of()));
        assertEquals(200, replay.status(), replay.toString());
        assertFalse(replay.data().path("applied").asBoolean(), "seq 1 was applied before the restart");
        assertEquals(2, again.api().get("/api/lms/" + lmsId + "/clients").data().size());
        assertTrue(again.api().get("/api/management/clients?q=room").data().path("total").asInt() >= 2);
    }
}
