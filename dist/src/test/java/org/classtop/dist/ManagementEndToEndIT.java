package org.classtop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-site end to end with real processes only (issue #11): a real management server
 * ({@code classtop-lms --role management} on a fresh PostgreSQL database, dropped after; skipped with a message
 * without PostgreSQL), a real LMS started with {@code --management-url} and real agents, one of them in
 * {@code --connection-mode both}. The LMS registers, heartbeats its clients and keeps its WebSocket; the agent's
 * courses, schedules and settings land on the centre once however often they are sent; a command from the centre
 * reaches the agent through the LMS under the same request id; with the centre stopped the LMS keeps serving and
 * owes its writes, which drain in order and once when the centre is back on the same database and port.
 */
class ManagementEndToEndIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path work;

    @RegisterExtension
    final StartedResources started = new StartedResources();

    private final String database = "classtop_e2e_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private boolean created;

    @AfterEach
    void dropDatabase() throws SQLException {
        started.afterEach(null); // every process stops before its database goes
        if (created) {
            ManagementCentreIT.drop(database);
        }
    }

    @Test
    void aCentreAnLmsAndADualModeAgentWorkTogetherAcrossADowntimeOfTheCentre() throws Exception {
        String dbUrl = ManagementCentreIT.freshDatabase(database);
        created = true;
        String adminToken = LmsServer.randomToken();
        Path centreData = work.resolve("centre-data");
        LmsServer centre = started.track(LmsServer.start(work, adminToken, centreData, 0, "--role", "management",
                "--db-url", dbUrl, "--enrollment", "token"));
        int centrePort = centre.port();
        ApiClient api = centre.api();

        LmsServer lms = started.track(LmsServer.start(work, LmsServer.randomToken(), work.resolve("lms-data"), 0,
                "--enrollment", "open", "--management-url", centre.url(), "--management-token", adminToken,
                "--management-interval", "1"));
        Poll.until("the LMS registered with the centre", WAIT, () -> status(lms).path("lms_id").isTextual());
        String lmsId = status(lms).path("lms_id").asText();
        String lmsUuid = status(lms).path("lms_uuid").asText();

        Path agentData = work.resolve("agent-both");
        Files.createDirectories(agentData);
        Path dataFile = agentData.resolve("classtop-data.json");
        Files.writeString(dataFile, "{\"courses\":[{\"id\":1,\"name\":\"Maths\"}],"
                + "\"schedules\":[{\"id\":1,\"course_id\":1,\"day_of_week\":1,\"start_time\":\"08:00\",\"end_time\":\"08:45\"}]}");
        AgentProcess both = started.track(AgentProcess.start(work, lms.url(), "Room 201", agentData, null,
                "--connection-mode", "both", "--management-url", centre.url(), "--management-token", adminToken,
                "--sync-interval", "2"));
        both.awaitConnected(WAIT);
        String bothUuid = both.uuid();

        // The LMS is online at the centre with its client, and its command channel is up.
        Poll.until("the LMS online, connected and holding the agent", WAIT, () -> {
            JsonNode site = api.get("/api/lms/" + lmsId).data();
            return "online".equals(site.path("status").asText()) && site.path("connected").asBoolean()
                    && holds(api, lmsId, bothUuid);
        });
        JsonNode listed = api.get("/api/lms").data();
        assertEquals(1, listed.size(), listed.toString());
        assertEquals(1, listed.get(0).path("heartbeat_interval").asInt(), "the LMS sends its --management-interval");

        // The agent's own sync (client_key from registering with the management token): one copy however often sent.
        Poll.until("the agent's courses on the centre", WAIT, () -> synced(api, bothUuid).path("courses").toString().contains("Maths"));
        Poll.until("the same sync sent again", WAIT, () -> stats(api).path("duplicate_syncs").asInt() >= 1);
        JsonNode synced = synced(api, bothUuid);
        assertEquals(1, synced.path("courses").size(), "one copy: " + synced);
        assertEquals("08:00", synced.path("schedules").get(0).path("start_time").asText());
        assertTrue(synced.path("settings").isObject(), synced.toString());
        assertTrue(Files.readString(agentData.resolve("management.json")).contains("ctk_"), "the client_key is kept");
        JsonNode client = api.get("/api/management/clients/" + bothUuid).data();
        assertTrue(client.path("has_client_key").asBoolean(), client.toString());
        assertEquals(lmsId, client.path("lms_id").asText(), client.toString());

        // A command from the centre reaches the agent through the LMS, under the same request id.
        ApiResult routed = api.post("/api/control/command", Map.of("target_client", bothUuid, "request_id", "e2e-route-1",
                "command", "set_setting", "params", Map.of("key", "theme", "value", "dark"), "timeout", 20));
        assertEquals(200, routed.status(), routed.toString());
        assertEquals("dark", lms.api().get("/api/settings/" + bothUuid + "/theme").data().path("value").asText());
        assertTrue(lms.commandLog(bothUuid).stream().anyMatch(row -> row.toString().contains("e2e-route-1")),
                "the LMS logged the relayed command under the centre's request id: " + lms.commandLog(bothUuid));
        ApiResult unknown = api.post("/api/control/command", Map.of("target_client", "no-such-pc", "command", "get_all_settings"));
        assertEquals(404, unknown.status(), unknown.toString());
        assertEquals("CLIENT_NOT_FOUND", unknown.code());

        // Keys on the real centre: a wrong one 401, another LMS's 403.
        ApiResult wrong = ApiClient.withToken(centre.url(), "ctl_" + LmsServer.randomToken()).post("/api/lms/heartbeat",
                Map.of("lms_uuid", lmsUuid, "client_count", 0, "clients", List.of()));
        assertEquals(401, wrong.status(), wrong.toString());
        String otherKey = api.post("/api/lms/register", Map.of("lms_uuid", "lms-other", "name", "Other campus"))
                .data().path("api_key").asText();
        ApiClient asOther = ApiClient.withToken(centre.url(), otherKey);
        ApiResult foreign = asOther.post("/api/lms/heartbeat", Map.of("lms_uuid", lmsUuid, "client_count", 0, "clients", List.of()));
        assertEquals(403, foreign.status(), foreign.toString());
        ApiResult foreignSync = asOther.post("/api/sync", Map.of("client_uuid", bothUuid, "timestamp", "2026-12-03T08:00:00Z",
                "courses", List.of()));
        assertEquals(403, foreignSync.status(), foreignSync.toString());
        assertEquals(1, synced(api, bothUuid).path("courses").size(), "the refused sync changed nothing");

        // The centre goes down: the LMS keeps serving, a new agent connects, settings change, the agent's data changes.
        int exit = centre.stop();
        assertTrue(exit == 0 || exit == 143, "the centre stops cleanly on SIGTERM, exit " + exit);
        AgentProcess lmsOnly = started.track(AgentProcess.start(work, lms.url(), "Room 202", work.resolve("agent-lms"), null));
        lmsOnly.awaitConnected(WAIT);
        String lmsOnlyUuid = lmsOnly.uuid();
        Poll.until("the new client at the LMS", WAIT, () -> lms.isOnline(lmsOnlyUuid));
        assertEquals(200, lms.api().put("/api/settings/" + lmsOnlyUuid + "/volume", Map.of("value", 30)).status(),
                "the LMS serves its clients while the centre is down");
        Files.writeString(dataFile, "{\"courses\":[{\"id\":1,\"name\":\"Maths\"},{\"id\":2,\"name\":\"Physics\"}],"
                + "\"schedules\":[]}");
        Poll.until("the LMS owes the client and its settings", WAIT, () -> status(lms).path("outbox").path("size").asInt() >= 3);
        assertTrue(status(lms).path("last_error").asText().contains("cannot be reached"), status(lms).toString());
        long sentBefore = status(lms).path("outbox").path("sent").asLong();

        // Back on the same database and port.
        LmsServer again = started.track(LmsServer.start(work, adminToken, centreData, centrePort, "--role", "management",
                "--db-url", dbUrl, "--enrollment", "token"));
        ApiClient api2 = again.api();
        Poll.until("the outbox drained", WAIT, () -> status(lms).path("outbox").path("size").asInt() == 0);
        Poll.until("the new client held by the LMS", WAIT, () -> holds(api2, lmsId, lmsOnlyUuid) && holds(api2, lmsId, bothUuid));
        Poll.until("the setting changed while down", WAIT,
                () -> synced(api2, lmsOnlyUuid).path("settings").path("volume").asInt() == 30);
        Poll.until("the agent's new data", WAIT, () -> synced(api2, bothUuid).path("courses").size() == 2);
        Poll.until("the LMS's outbox shown as 0 on the centre", WAIT,
                () -> api2.get("/api/lms/" + lmsId).data().path("outbox").asInt(-1) == 0);
        JsonNode up = status(lms);
        assertTrue(up.path("outbox").path("sent").asLong() > sentBefore, up.toString());
        assertEquals(0, up.path("outbox").path("dropped").asInt(), "nothing lost: " + up);
        assertEquals(0, up.path("outbox").path("rejected").asInt(), "nothing refused: " + up);
        assertEquals(lmsId, up.path("lms_id").asText(), "the LMS kept its id (and key) across the downtime");

        // Nothing applied twice: one row per client, one copy of each course, and no heartbeat replayed.
        JsonNode stats = stats(api2);
        assertEquals(0, stats.path("duplicate_heartbeats").asInt(), stats.toString());
        assertEquals(2, api2.get("/api/lms/" + lmsId + "/clients").data().size());
        try (Connection c = DriverManager.getConnection(dbUrl)) {
            assertEquals(1, count(c, "SELECT count(*) FROM msync_clients WHERE uuid = ?", lmsOnlyUuid));
            assertEquals(2, count(c, "SELECT count(*) FROM msync_courses WHERE client_uuid = ?", bothUuid));
            assertEquals(1, count(c, "SELECT count(*) FROM msync_settings WHERE client_uuid = ?", lmsOnlyUuid));
            // The LMS's writes carry sync ids <lms_uuid>-<outbox id>: applied in the order the LMS owed them.
            List<long[]> order = new ArrayList<>(); // {received_at, outbox id}
            try (PreparedStatement s = c.prepareStatement("SELECT sync_key, received_at FROM msync_syncs WHERE sync_key LIKE ?"
                    + " ORDER BY received_at")) {
                s.setString(1, "id:" + lmsUuid + "-%");
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        String key = r.getString(1);
                        order.add(new long[]{r.getLong(2), Long.parseLong(key.substring(key.lastIndexOf('-') + 1))});
                    }
                }
            }
            assertFalse(order.isEmpty(), "the LMS's settings syncs reached the centre");
            for (int i = 1; i < order.size(); i++) {
                if (order.get(i)[0] > order.get(i - 1)[0]) {
                    assertTrue(order.get(i)[1] > order.get(i - 1)[1], "applied in the order owed: sync " + order.get(i)[1]
                            + " after " + order.get(i - 1)[1]);
                }
            }
        }
        // The command channel is back too.
        Poll.until("the LMS's WebSocket again", WAIT, () -> api2.get("/api/lms/" + lmsId).data().path("connected").asBoolean());
        ApiResult again1 = api2.post("/api/control/command", Map.of("target_client", lmsOnlyUuid, "request_id", "e2e-route-2",
                "command", "get_setting", "params", Map.of("key", "volume"), "timeout", 20));
        assertEquals(200, again1.status(), again1.toString());
        assertTrue(again1.data().toString().contains("30"), again1.toString());
    }

    private static boolean holds(ApiClient api, String lmsId, String uuid) {
        for (JsonNode c : api.get("/api/lms/" + lmsId + "/clients").data()) {
            if (uuid.equals(c.path("uuid").asText())) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode synced(ApiClient api, String uuid) {
        return api.get("/api/management/clients/" + uuid).data().path("synced");
    }

    private static JsonNode stats(ApiClient api) {
        return api.get("/api/management/stats").data();
    }

    private static JsonNode status(LmsServer lms) {
        return lms.api().get("/api/management-sync/status").data();
    }

    private static long count(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
