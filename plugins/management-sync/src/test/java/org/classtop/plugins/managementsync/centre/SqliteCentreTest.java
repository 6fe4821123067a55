package org.classtop.plugins.managementsync.centre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import org.classtop.core.config.ServerConfig.EnrollmentMode;
import org.classtop.core.config.ServerRole;
import org.classtop.plugins.managementsync.ManagementSyncServerPlugin;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.FakeAgent;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.Test;

/** The centre on SQLite (a small central server), plus enrolment-token registration and the LMS role. */
class SqliteCentreTest extends CentreContract {
    @Override
    protected String dbUrl() {
        return null;
    }

    @Override
    protected Connection connection() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("classtop.db").toAbsolutePath());
    }

    @Test
    void outsideOpenEnrolmentAnLmsRegistersWithAnEnrolmentTokenOrAsAnAdmin() {
        try (TestServer tokenServer = TestServer.builder().role(ServerRole.MANAGEMENT).enrollment(EnrollmentMode.TOKEN)
                .plugin("management-sync", new ManagementSyncServerPlugin()).start()) {
            ApiClient api = tokenServer.api();
            Map<String, Object> body = Map.of("lms_uuid", "lms-t", "name", "T");
            ApiResult none = api.anonymous().post("/api/lms/register", body);
            assertEquals(401, none.status(), none.toString());
            ApiResult bogus = ApiClient.withToken(tokenServer.baseUrl(), "cte_not-issued-here").post("/api/lms/register", body);
            assertEquals(401, bogus.status(), bogus.toString());
            assertEquals("INVALID_ENROLMENT_TOKEN", bogus.code());

            String token = api.post("/api/enrollment/tokens", Map.of("name", "north")).data().path("token").asText();
            ApiResult ok = ApiClient.withToken(tokenServer.baseUrl(), token).post("/api/lms/register", body);
            assertEquals(200, ok.status(), ok.toString());
            assertEquals(200, api.post("/api/lms/register", Map.of("lms_uuid", "lms-u", "name", "U")).status(), "an admin may");
            ApiResult client = ApiClient.withToken(tokenServer.baseUrl(), token).post("/api/clients/register", Map.of("uuid", "pc-t"));
            assertTrue(client.data().path("client_key").asText().startsWith("ctk_"), client.toString());
        }
    }

    @Test
    void onAnLmsThePartIsInert() {
        try (TestServer lms = TestServer.builder().plugin("management-sync", new ManagementSyncServerPlugin()).start()) {
            ApiResult r = lms.api().get("/api/lms");
            assertEquals(404, r.status(), r.toString());
            assertEquals("NOT_A_MANAGEMENT_SERVER", r.code());
            assertEquals(404, lms.api().anonymous().post("/api/lms/register", Map.of("lms_uuid", "x", "name", "x")).status());
            FakeAgent fake = new FakeAgent("lms-x");
            fake.register(lms.baseUrl().replace("http", "ws") + "/ws", "x", Map.of("client_type", "lms", "token", "ctl_x"));
            try (fake) {
                assertTrue(fake.awaitClosed(Duration.ofSeconds(5)).reason().contains("not a management server"));
            }
        }
    }
}
