package org.classtop.plugins.managementsync.centre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.classtop.core.config.ServerRole;
import org.classtop.plugins.managementsync.ManagementSyncServerPlugin;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.FakeAgent;
import org.classtop.testing.Poll;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The centre's contract on a real server with the management role: registration and keys, heartbeats and
 * their refusals, client registration, idempotent syncs, routed commands through a fake LMS WebSocket, the
 * bounded history. Run on SQLite and on PostgreSQL by the subclasses.
 */
abstract class CentreContract {
    protected TestServer server;
    protected ApiClient admin;

    /** The JDBC URL of a fresh database, or null for SQLite in the data folder. */
    protected abstract String dbUrl();

    protected TestServer.Builder builder() {
        return TestServer.builder().role(ServerRole.MANAGEMENT).dbUrl(dbUrl())
                .pluginConfig("management-sync.MAX_CLIENTS_PER_HEARTBEAT", "5")
                .pluginConfig("management-sync.MAX_CLIENTS_PER_LMS", "8")
                .pluginConfig("management-sync.HISTORY_DAYS", "1")
                .pluginConfig("management-sync.PRUNE_INTERVAL", "200ms")
                .plugin("management-sync", new ManagementSyncServerPlugin());
    }

    /** Before the server starts: e.g. create a fresh database. */
    protected void prepareDatabase() {
    }

    /** After the server stopped: e.g. drop the database. */
    protected void dropDatabase() {
    }

    @BeforeEach
    void start() {
        prepareDatabase();
        server = builder().start();
        admin = server.api();
    }

    @AfterEach
    void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            dropDatabase();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    protected JsonNode register(String lmsUuid, String name) {
        ApiResult r = admin.anonymous().post("/api/lms/register", Map.of("lms_uuid", lmsUuid, "name", name, "host", "10.0.0.1",
                "port", 8000, "version", "0.1.0"));
        assertEquals(200, r.status(), r.toString());
        return r.data();
    }

    protected ApiClient as(String key) {
        return ApiClient.withToken(server.baseUrl(), key);
    }

    protected static Map<String, Object> heartbeat(String lmsUuid, Object... clients) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < clients.length; i += 3) {
            list.add(Map.of("uuid", clients[i], "name", clients[i + 1], "status", clients[i + 2]));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lms_uuid", lmsUuid);
        body.put("client_count", list.size());
        body.put("clients", list);
        return body;
    }

    protected FakeAgent fakeLms(String lmsUuid, String key, java.util.function.Consumer<FakeAgent> script) {
        FakeAgent lms = new FakeAgent(lmsUuid);
        script.accept(lms);
        lms.register(server.baseUrl().replace("http", "ws") + "/ws", "LMS " + lmsUuid,
                Map.of("client_type", "lms", "token", key, "capabilities", List.of("lms_relay")));
        return lms;
    }

    private static void assertRefused(ApiResult r, int status, String code, String fieldOrNull) {
        assertEquals(status, r.status(), r.toString());
        assertFalse(r.success(), r.toString());
        assertEquals(code, r.code(), r.toString());
        if (fieldOrNull != null) {
            assertTrue(r.error().contains("'" + fieldOrNull + "'"), "the sentence names " + fieldOrNull + ": " + r.error());
        }
    }

    // ---- registration, heartbeats, keys --------------------------------------------------------------------

    @Test
    void anLmsRegistersHeartbeatsAndIsListedWithItsClients() {
        JsonNode reg = register("lms-north", "North campus");
        String key = reg.path("api_key").asText();
        assertTrue(key.startsWith("ctl_") && key.length() > 40, key);
        String id = reg.path("lms_id").asText();

        JsonNode before = admin.get("/api/lms").data();
        assertEquals(1, before.size());
        assertEquals("offline", before.path(0).path("status").asText(), "no heartbeat yet");
        assertTrue(before.path(0).path("api_key").isMissingNode(), "a key is never in a GET");

        ApiResult hb = as(key).post("/api/lms/heartbeat", heartbeat("lms-north", "pc-1", "Room 1", "online", "pc-2", "Room 2", "offline"));
        assertEquals(200, hb.status(), hb.toString());
        assertEquals(2, hb.data().path("changed_clients").asInt());

        JsonNode site = admin.get("/api/lms/" + id).data();
        assertEquals("online", site.path("status").asText());
        assertEquals(2, site.path("client_count").asInt());
        assertEquals(1, site.path("online_count").asInt());
        assertEquals("0.1.0", site.path("version").asText());
        assertFalse(site.path("last_heartbeat").isNull());
        assertEquals(1, site.path("heartbeats").size());

        JsonNode clients = admin.get("/api/lms/" + id + "/clients").data();
        assertEquals(2, clients.size());
        assertEquals("pc-1", clients.path(0).path("uuid").asText());
        assertEquals("online", clients.path(0).path("status").asText());

        // The same state again writes no client row; a name change writes one.
        assertEquals(0, as(key).post("/api/lms/heartbeat", heartbeat("lms-north", "pc-1", "Room 1", "online", "pc-2", "Room 2", "offline"))
                .data().path("changed_clients").asInt());
        assertEquals(1, as(key).post("/api/lms/heartbeat", heartbeat("lms-north", "pc-1", "Room 1A", "online", "pc-2", "Room 2", "offline"))
                .data().path("changed_clients").asInt());

        JsonNode merged = admin.get("/api/management/clients?q=room%201a").data();
        assertEquals(1, merged.path("total").asInt());
        assertEquals("North campus", merged.path("items").path(0).path("lms_name").asText());
    }

    @Test
    void reRegisteringKeepsTheIdAndReplacesTheKeyAndRotationReplacesItAgain() {
        JsonNode first = register("lms-a", "A");
        JsonNode second = register("lms-a", "A renamed");
        assertEquals(first.path("lms_id").asText(), second.path("lms_id").asText());
        assertNotEquals(first.path("api_key").asText(), second.path("api_key").asText());
        assertRefused(as(first.path("api_key").asText()).post("/api/lms/heartbeat", heartbeat("lms-a")), 401, "INVALID_API_KEY", null);
        assertEquals(200, as(second.path("api_key").asText()).post("/api/lms/heartbeat", heartbeat("lms-a")).status());
        assertEquals("A renamed", admin.get("/api/lms").data().path(0).path("name").asText());

        ApiResult rotated = admin.post("/api/lms/" + first.path("lms_id").asText() + "/rotate-key", Map.of());
        assertEquals(200, rotated.status(), rotated.toString());
        String third = rotated.data().path("api_key").asText();
        assertRefused(as(second.path("api_key").asText()).post("/api/lms/heartbeat", heartbeat("lms-a")), 401, "INVALID_API_KEY", null);
        assertEquals(200, as(third).post("/api/lms/heartbeat", heartbeat("lms-a")).status());

        // The keys survive a restart (only their hashes are stored).
        server.restart();
        admin = server.api();
        assertEquals(200, as(third).post("/api/lms/heartbeat", heartbeat("lms-a")).status());
        assertEquals(first.path("lms_id").asText(), register("lms-a", "A").path("lms_id").asText());
    }

    /** Neither an enrolment token nor open enrolment re-keys a connected LMS, nor takes an agent's uuid. */
    @Test
    void registrationCannotHijackAConnectedLmsOrAnAgentsUuid() {
        String key = register("lms-east", "East campus").path("api_key").asText();
        try (FakeAgent lms = fakeLms("lms-east", key, a -> { })) {
            lms.await("registered", Duration.ofSeconds(10));
            ApiResult hijack = admin.anonymous().post("/api/lms/register", Map.of("lms_uuid", "lms-east", "name", "Mine"));
            assertRefused(hijack, 409, "LMS_CONNECTED", null);
            assertEquals(200, as(key).post("/api/lms/heartbeat", heartbeat("lms-east")).status(), "the old key still works");
            ApiResult byAdmin = admin.post("/api/lms/register", Map.of("lms_uuid", "lms-east", "name", "East campus"));
            assertEquals(200, byAdmin.status(), "an admin may re-key it: " + byAdmin);
        }
        try (FakeAgent agent = server.agent("pc-direct", "PC", a -> { })) {
            ApiResult taken = admin.post("/api/lms/register", Map.of("lms_uuid", "pc-direct", "name", "Not an LMS"));
            assertRefused(taken, 409, "UUID_IN_USE", null);
        }
    }

    @Test
    void heartbeatRefusals() {
        String keyA = register("lms-a", "A").path("api_key").asText();
        register("lms-b", "B");
        assertRefused(admin.anonymous().post("/api/lms/heartbeat", heartbeat("lms-a")), 401, "API_KEY_REQUIRED", null);
        assertRefused(as("ctl_not-a-key").post("/api/lms/heartbeat", heartbeat("lms-a")), 401, "INVALID_API_KEY", null);
        assertRefused(as(keyA).post("/api/lms/heartbeat", heartbeat("lms-b")), 403, "FORBIDDEN", null);
        assertRefused(admin.post("/api/lms/heartbeat", heartbeat("lms-a")), 401, "API_KEY_REQUIRED", null);

        Map<String, Object> noUuid = new HashMap<>(heartbeat("lms-a"));
        noUuid.remove("lms_uuid");
        assertRefused(as(keyA).post("/api/lms/heartbeat", noUuid), 400, "INVALID_REQUEST", "lms_uuid");
        Map<String, Object> badCount = new HashMap<>(heartbeat("lms-a"));
        badCount.put("client_count", "many");
        assertRefused(as(keyA).post("/api/lms/heartbeat", badCount), 400, "INVALID_REQUEST", "client_count");
        Map<String, Object> badClient = new HashMap<>(heartbeat("lms-a", "pc-1", "R1", "online"));
        badClient.put("clients", List.of(Map.of("uuid", "pc-1"), Map.of("name", "no uuid")));
        assertRefused(as(keyA).post("/api/lms/heartbeat", badClient), 400, "INVALID_REQUEST", "clients[1].uuid");
        Map<String, Object> badUuid = new HashMap<>(heartbeat("lms-a"));
        badUuid.put("clients", List.of(Map.of("uuid", "has spaces/and slashes")));
        assertRefused(as(keyA).post("/api/lms/heartbeat", badUuid), 400, "INVALID_REQUEST", "clients[0].uuid");
        assertRefused(as(keyA).post("/api/lms/heartbeat", heartbeat("lms-a", "c1", "n", "online", "c2", "n", "online", "c3", "n",
                "online", "c4", "n", "online", "c5", "n", "online", "c6", "n", "online")), 413, "TOO_MANY_ITEMS", "clients");

        // A body over the platform's 1 MiB is refused before it is parsed.
        Map<String, Object> huge = new HashMap<>(heartbeat("lms-a"));
        huge.put("padding", "x".repeat(1_100_000));
        assertRefused(as(keyA).post("/api/lms/heartbeat", huge), 413, "PAYLOAD_TOO_LARGE", null);

        // Rows an LMS can create are bounded (8 here): a ninth client is refused, the eight stay.
        assertEquals(200, as(keyA).post("/api/lms/heartbeat", heartbeat("lms-a", "c1", "n", "online", "c2", "n", "online", "c3", "n",
                "online", "c4", "n", "online", "c5", "n", "online")).status());
        assertEquals(200, as(keyA).post("/api/lms/heartbeat", heartbeat("lms-a", "c6", "n", "online", "c7", "n", "online", "c8", "n",
                "online")).status());
        assertRefused(as(keyA).post("/api/lms/heartbeat", heartbeat("lms-a", "c9", "n", "online")), 409, "CLIENT_LIMIT", null);

        // A replay (same seq) is answered and not applied.
        Map<String, Object> seq = new HashMap<>(heartbeat("lms-a", "c1", "n", "offline"));
        seq.put("seq", 7);
        assertTrue(as(keyA).post("/api/lms/heartbeat", seq).data().path("applied").asBoolean());
        seq.put("clients", List.of(Map.of("uuid", "c1", "status", "online")));
        JsonNode replay = as(keyA).post("/api/lms/heartbeat", seq).data();
        assertFalse(replay.path("applied").asBoolean());
        assertTrue(replay.path("duplicate").asBoolean());
        assertEquals("offline", admin.get("/api/management/clients/c1").data().path("reported_status").asText());

        assertRefused(admin.get("/api/lms/no-such-lms"), 404, "LMS_NOT_FOUND", null);
        assertRefused(admin.delete("/api/lms/no-such-lms"), 404, "LMS_NOT_FOUND", null);
        assertRefused(admin.post("/api/lms/no-such-lms/rotate-key", Map.of()), 404, "LMS_NOT_FOUND", null);
        assertRefused(admin.anonymous().get("/api/lms"), 401, "UNAUTHORIZED", null);
        assertEquals(401, as(keyA).get("/api/lms").status(), "an LMS key opens only the LMS's own routes");
        assertRefused(as(keyA).post("/api/lms/register", Map.of("lms_uuid", "lms-x", "name", "X")), 403, "FORBIDDEN", null);
        assertRefused(admin.post("/api/lms/register", Map.of("name", "X")), 400, "INVALID_REQUEST", "lms_uuid");
        assertRefused(admin.post("/api/lms/register", Map.of("lms_uuid", "lms-x", "name", "X", "port", 70000)), 400, "INVALID_REQUEST", "port");
    }

    @Test
    void deletingAnLmsRemovesItsKeyAndKeepsItsClientsKnown() {
        JsonNode reg = register("lms-a", "A");
        String key = reg.path("api_key").asText();
        as(key).post("/api/lms/heartbeat", heartbeat("lms-a", "pc-1", "R1", "online"));
        assertEquals(200, admin.delete("/api/lms/" + reg.path("lms_id").asText()).status());
        assertEquals(0, admin.get("/api/lms").data().size());
        assertRefused(as(key).post("/api/lms/heartbeat", heartbeat("lms-a")), 401, "INVALID_API_KEY", null);
        JsonNode client = admin.get("/api/management/clients/pc-1").data();
        assertTrue(client.path("lms_id").isNull(), client.toString());
    }

    // ---- clients and sync ----------------------------------------------------------------------------------

    @Test
    void aSyncIsStoredOnceAndKeysActOnlyForTheirOwnClient() {
        ApiResult reg = admin.post("/api/clients/register", Map.of("uuid", "pc-9", "name", "Lab 9", "api_url", "http://10.0.0.9:1420"));
        assertEquals(200, reg.status(), reg.toString());
        String clientKey = reg.data().path("client_key").asText();
        assertTrue(clientKey.startsWith("ctk_"), clientKey);
        String otherKey = admin.post("/api/clients/register", Map.of("uuid", "pc-10")).data().path("client_key").asText();

        Map<String, Object> sync = new LinkedHashMap<>();
        sync.put("client_uuid", "pc-9");
        sync.put("timestamp", "2026-12-03T08:00:00Z");
        sync.put("courses", List.of(Map.of("id", 1, "name", "Maths"), Map.of("id", 2, "name", "Art")));
        sync.put("schedules", List.of(Map.of("id", "s1", "course_id", 1, "day", 1)));
        sync.put("settings", Map.of("theme", "dark"));
        sync.put("cctv", Map.of("cameras", List.of(Map.of("camera_id", "cam1", "name", "Front", "recording", true)),
                "events", List.of(Map.of("camera_id", "cam1", "event_type", "start_recording", "details", Map.of("by", "admin")))));
        ApiResult first = as(clientKey).post("/api/sync", sync);
        assertEquals(200, first.status(), first.toString());
        assertTrue(first.data().path("applied").asBoolean());
        ApiResult again = as(clientKey).post("/api/sync", sync);
        assertFalse(again.data().path("applied").asBoolean(), "the same content and timestamp is stored once");
        assertTrue(again.data().path("duplicate").asBoolean());

        JsonNode synced = admin.get("/api/management/clients/pc-9").data().path("synced");
        assertEquals(2, synced.path("courses").size());
        assertEquals(1, synced.path("schedules").size());
        assertEquals("dark", synced.path("settings").path("theme").asText());
        assertEquals(1, synced.path("cameras").size());
        assertTrue(synced.path("cameras").path(0).path("recording").asBoolean());
        assertEquals(1, synced.path("cctv_events").size(), "events of a replay are not stored twice");
        assertEquals("admin", synced.path("cctv_events").path(0).path("details").path("by").asText());
        assertEquals(1, synced.path("syncs").size());

        // By sync_id: a newer snapshot replaces the courses; replaying it changes nothing.
        Map<String, Object> next = new LinkedHashMap<>(sync);
        next.put("sync_id", "pc-9:2");
        next.put("timestamp", "2026-12-03T09:00:00Z");
        next.put("courses", List.of(Map.of("id", 3, "name", "Music")));
        next.remove("cctv");
        assertTrue(as(clientKey).post("/api/sync", next).data().path("applied").asBoolean());
        next.put("courses", List.of());
        assertFalse(as(clientKey).post("/api/sync", next).data().path("applied").asBoolean(), "same sync_id: a replay");
        synced = admin.get("/api/management/clients/pc-9").data().path("synced");
        assertEquals(1, synced.path("courses").size());
        assertEquals("Music", synced.path("courses").path(0).path("name").asText());

        // What an LMS sends: only the settings (a section left out is unchanged), under its sync_id, once.
        Map<String, Object> settingsOnly = new LinkedHashMap<>();
        settingsOnly.put("client_uuid", "pc-9");
        settingsOnly.put("settings", Map.of("theme", "light"));
        settingsOnly.put("timestamp", "2026-12-03T10:00:00Z");
        settingsOnly.put("sync_id", "lms-x-17");
        ApiResult onlySettings = as(clientKey).post("/api/sync", settingsOnly);
        assertTrue(onlySettings.data().path("applied").asBoolean(), onlySettings.toString());
        assertFalse(as(clientKey).post("/api/sync", settingsOnly).data().path("applied").asBoolean(), "same sync_id: a replay");
        synced = admin.get("/api/management/clients/pc-9").data().path("synced");
        assertEquals("light", synced.path("settings").path("theme").asText());
        assertEquals(1, synced.path("courses").size(), "courses left out: unchanged");
        assertEquals(1, synced.path("schedules").size(), "schedules left out: unchanged");

        assertRefused(as(otherKey).post("/api/sync", sync), 403, "FORBIDDEN", null);
        assertRefused(as("ctk_wrong").post("/api/sync", sync), 401, "INVALID_API_KEY", null);
        assertRefused(admin.anonymous().post("/api/sync", sync), 401, "API_KEY_REQUIRED", null);
        assertRefused(as(otherKey).post("/api/clients/register", Map.of("uuid", "pc-9")), 403, "FORBIDDEN", null);
        Map<String, Object> noTime = new LinkedHashMap<>(sync);
        noTime.remove("timestamp");
        assertRefused(as(clientKey).post("/api/sync", noTime), 400, "INVALID_REQUEST", "timestamp");
        Map<String, Object> badCourses = new LinkedHashMap<>(sync);
        badCourses.put("courses", "Maths");
        assertRefused(as(clientKey).post("/api/sync", badCourses), 400, "INVALID_REQUEST", "courses");
        Map<String, Object> badCamera = new LinkedHashMap<>(sync);
        badCamera.put("cctv", Map.of("cameras", List.of(Map.of("name", "no id"))));
        assertRefused(as(clientKey).post("/api/sync", badCamera), 400, "INVALID_REQUEST", "cctv.cameras[0].camera_id");
        assertRefused(admin.anonymous().post("/api/clients/register", Map.of("uuid", "pc-9")), 409, "CLIENT_ALREADY_REGISTERED", null);
    }

    @Test
    void anLmsSyncsOnlyItsOwnClients() {
        String keyA = register("lms-a", "A").path("api_key").asText();
        String keyB = register("lms-b", "B").path("api_key").asText();
        as(keyA).post("/api/lms/heartbeat", heartbeat("lms-a", "pc-a", "A1", "online"));
        Map<String, Object> asSent = new LinkedHashMap<>(); // as the site part sends it: api_url null, its seq
        asSent.put("uuid", "pc-b");
        asSent.put("name", "B1");
        asSent.put("api_url", null);
        asSent.put("seq", 4);
        asSent.put("lms_uuid", "lms-b");
        ApiResult reg = as(keyB).post("/api/clients/register", asSent);
        assertEquals(200, reg.status(), reg.toString());
        assertTrue(reg.data().path("client_key").isMissingNode(), "an LMS registers its clients without client keys");
        Map<String, Object> sync = Map.of("client_uuid", "pc-a", "timestamp", 1764748800, "courses", List.of());
        assertEquals(200, as(keyA).post("/api/sync", sync).status());
        assertRefused(as(keyB).post("/api/sync", sync), 403, "FORBIDDEN", null);
        assertEquals(1, admin.get("/api/lms/" + admin.get("/api/lms").data().path(1).path("lms_id").asText() + "/clients").data().size());
    }

    /**
     * One LMS cannot take another's clients: not by heartbeat (the entry is skipped and counted), not by
     * registering the client, and so neither its syncs nor its commands; a keyless client moves only after its
     * holder has been offline for its window, a client with its own key only by an admin.
     */
    @Test
    void anLmsCannotTakeOverAnotherLmsClients() {
        String keyA = register("lms-a", "A").path("api_key").asText();
        String keyB = register("lms-b", "B").path("api_key").asText();
        String idA = admin.get("/api/lms").data().path(0).path("lms_id").asText();
        Map<String, Object> beatA = heartbeat("lms-a", "pc-a", "A1", "online", "pc-k", "K1", "online");
        beatA.put("interval", 1);
        assertEquals(200, as(keyA).post("/api/lms/heartbeat", beatA).status());
        ApiResult keyed = admin.post("/api/clients/register", Map.of("uuid", "pc-k", "name", "K1"));
        assertEquals(200, keyed.status(), keyed.toString());
        assertEquals(idA, keyed.data().path("lms_id").asText(), "a client registered by an admin keeps its holder");

        try (FakeAgent lmsA = fakeLms("lms-a", keyA, a -> a.on("lms_relay", p -> Map.of("via", "A")));
             FakeAgent lmsB = fakeLms("lms-b", keyB, a -> a.on("lms_relay", p -> Map.of("via", "B")))) {
            lmsA.await("registered", Duration.ofSeconds(10));
            lmsB.await("registered", Duration.ofSeconds(10));
            ApiResult beatB = as(keyB).post("/api/lms/heartbeat", heartbeat("lms-b", "pc-a", "Mine", "online", "pc-b", "B1", "online"));
            assertEquals(200, beatB.status(), beatB.toString());
            assertEquals(1, beatB.data().path("skipped_clients").asInt(), beatB.toString());
            assertEquals(idA, admin.get("/api/management/clients/pc-a").data().path("lms_id").asText(), "pc-a stays A's");
            assertRefused(as(keyB).post("/api/clients/register", Map.of("uuid", "pc-a", "name", "Mine")), 403, "FORBIDDEN", null);
            assertRefused(as(keyB).post("/api/sync", Map.of("client_uuid", "pc-a", "timestamp", 1764748800, "courses", List.of())),
                    403, "FORBIDDEN", null);
            ApiResult routed = admin.post("/api/control/command", Map.of("target_client", "pc-a", "command", "ping", "timeout", 5));
            assertEquals(200, routed.status(), routed.toString());
            assertEquals("A", routed.data().path("via").asText(), "a command to pc-a still goes to A");
        }
        // A is offline now (no socket, heartbeat window of 3 x 1 s past): its keyless client may move, its keyed one not.
        Poll.until("pc-a moves to B once A is offline", Duration.ofSeconds(15), () -> {
            as(keyB).post("/api/lms/heartbeat", heartbeat("lms-b", "pc-a", "Mine", "online", "pc-k", "K1", "online"));
            return !idA.equals(admin.get("/api/management/clients/pc-a").data().path("lms_id").asText());
        });
        assertEquals(idA, admin.get("/api/management/clients/pc-k").data().path("lms_id").asText(), "a keyed client stays");
        assertRefused(as(keyB).post("/api/clients/register", Map.of("uuid", "pc-k")), 403, "FORBIDDEN", null);
        String idB = admin.get("/api/management/clients/pc-a").data().path("lms_id").asText();
        ApiResult moved = admin.post("/api/clients/register", Map.of("uuid", "pc-k", "lms_id", idB));
        assertEquals(200, moved.status(), moved.toString());
        assertEquals(idB, admin.get("/api/management/clients/pc-k").data().path("lms_id").asText(), "an admin moves it");
    }

    /** Rotating or deleting a key closes the LMS WebSocket that key admitted; re-registering resets the seq. */
    @Test
    void rotationAndDeletionCloseTheLmsSocketAndReRegisteringResetsTheSeq() {
        JsonNode reg = register("lms-s", "S");
        String id = reg.path("lms_id").asText();
        try (FakeAgent lms = fakeLms("lms-s", reg.path("api_key").asText(), a -> { })) {
            lms.await("registered", Duration.ofSeconds(10));
            assertEquals(200, admin.post("/api/lms/" + id + "/rotate-key", Map.of()).status());
            FakeAgent.Closed closed = lms.awaitClosed(Duration.ofSeconds(10));
            assertEquals(1008, closed.code(), closed.toString());
            assertTrue(closed.reason().contains("rotated"), closed.toString());
        }
        Poll.until("the LMS shows as disconnected", Duration.ofSeconds(5),
                () -> !admin.get("/api/lms").data().path(0).path("connected").asBoolean());
        // The site lost its database: registers again (offline, so an enrolment-less open registration is fine) and counts from 1.
        String key = register("lms-s", "S").path("api_key").asText();
        Map<String, Object> beat = heartbeat("lms-s");
        beat.put("seq", 500);
        assertEquals(200, as(key).post("/api/lms/heartbeat", beat).status());
        JsonNode again = register("lms-s", "S");
        beat.put("seq", 1);
        ApiResult fresh = as(again.path("api_key").asText()).post("/api/lms/heartbeat", beat);
        assertTrue(fresh.data().path("applied").asBoolean(), "seq 1 after re-registering is applied: " + fresh);
        server.restart();
        admin = server.api();
        beat.put("seq", 2);
        assertTrue(as(again.path("api_key").asText()).post("/api/lms/heartbeat", beat).data().path("applied").asBoolean());

        try (FakeAgent lms = fakeLms("lms-s", again.path("api_key").asText(), a -> { })) {
            lms.await("registered", Duration.ofSeconds(10));
            assertEquals(200, admin.delete("/api/lms/" + id).status());
            FakeAgent.Closed closed = lms.awaitClosed(Duration.ofSeconds(10));
            assertEquals(1008, closed.code(), closed.toString());
            assertTrue(closed.reason().contains("deleted"), closed.toString());
        }
    }

    // ---- routed commands -----------------------------------------------------------------------------------

    @Test
    void aCommandReachesAClientThroughItsLmsWithTheSameRequestId() {
        String key = register("lms-r", "Relay site").path("api_key").asText();
        as(key).post("/api/lms/heartbeat", heartbeat("lms-r", "pc-1", "Room 1", "online", "pc-off", "Room off", "offline",
                "pc-slow", "Room slow", "online", "pc-gone", "Gone", "online", "pc-bad", "Bad", "online"));
        try (FakeAgent lms = fakeLms("lms-r", key, a -> a.on("lms_relay", p -> switch (p.path("target_client").asText()) {
            case "pc-1" -> Map.of("value", p.path("params").path("key").asText() + "=dark", "command", p.path("command").asText());
            case "pc-off" -> throw new FakeAgent.Failure("Client 'Room off' is offline.", Map.of("code", "CLIENT_OFFLINE"));
            case "pc-slow" -> throw new FakeAgent.Failure("Client 'Room slow' did not answer in time.", Map.of("code", "COMMAND_TIMEOUT"));
            case "pc-gone" -> throw new FakeAgent.Failure("No client 'pc-gone' here.", Map.of("code", "CLIENT_NOT_FOUND"));
            default -> throw new FakeAgent.Failure("The setting does not exist.", Map.of("code", "COMMAND_FAILED"));
        }))) {
            lms.await("registered", Duration.ofSeconds(5));
            Poll.until("the LMS shows as connected", Duration.ofSeconds(5),
                    () -> admin.get("/api/lms").data().path(0).path("connected").asBoolean());

            ApiResult ok = admin.post("/api/control/command", Map.of("target_client", "pc-1", "request_id", "req-1",
                    "command", "get_setting", "params", Map.of("key", "theme"), "timeout", 5));
            assertEquals(200, ok.status(), ok.toString());
            assertEquals("theme=dark", ok.data().path("value").asText());
            JsonNode relayed = lms.history().stream().filter(f -> "command".equals(f.path("type").asText())).findFirst().orElseThrow();
            assertEquals("req-1", relayed.path("request_id").asText(), "the LMS gets the caller's request id");
            assertEquals("lms_relay", relayed.path("command").asText());
            assertEquals("pc-1", relayed.path("params").path("target_client").asText());
            assertEquals("get_setting", relayed.path("params").path("command").asText());
            assertEquals(5, relayed.path("params").path("timeout").asInt());

            assertRefused(admin.post("/api/control/command", Map.of("target_client", "pc-off", "command", "x")), 503, "CLIENT_OFFLINE", null);
            assertRefused(admin.post("/api/control/command", Map.of("target_client", "pc-slow", "command", "x")), 504, "COMMAND_TIMEOUT", null);
            assertRefused(admin.post("/api/control/command", Map.of("target_client", "pc-gone", "command", "x")), 404, "CLIENT_NOT_FOUND", null);
            assertRefused(admin.post("/api/control/command", Map.of("target_client", "pc-bad", "command", "x")), 502, "COMMAND_FAILED", null);
            assertRefused(admin.post("/api/control/command", Map.of("target_client", "nobody", "command", "x")), 404, "CLIENT_NOT_FOUND", null);
            assertRefused(admin.post("/api/control/command", Map.of("command", "x")), 400, "INVALID_REQUEST", "target_client");
            assertRefused(admin.post("/api/control/command", Map.of("target_client", "pc-1", "command", "x", "request_id", "bad id!")),
                    400, "INVALID_REQUEST", "request_id");
            assertRefused(admin.post("/api/control/command", Map.of("target_client", "pc-1", "command", "x", "timeout", 0)),
                    400, "INVALID_REQUEST", "timeout");
        }
        // The LMS's WebSocket is gone: its clients are unreachable.
        Poll.until("the LMS shows as disconnected", Duration.ofSeconds(5),
                () -> !admin.get("/api/lms").data().path(0).path("connected").asBoolean());
        assertRefused(admin.post("/api/control/command", Map.of("target_client", "pc-1", "command", "x")), 503, "LMS_OFFLINE", null);
    }

    @Test
    void anLmsThatDoesNotAnswerGets504() {
        String key = register("lms-q", "Quiet").path("api_key").asText();
        as(key).post("/api/lms/heartbeat", heartbeat("lms-q", "pc-q", "Q", "online"));
        try (FakeAgent lms = fakeLms("lms-q", key, a -> a.silent())) {
            lms.await("registered", Duration.ofSeconds(5));
            assertRefused(admin.post("/api/control/command", Map.of("target_client", "pc-q", "command", "x", "timeout", 1)),
                    504, "COMMAND_TIMEOUT", null);
        }
    }

    @Test
    void aClientConnectedToTheCentreIsReachedDirectly() {
        try (FakeAgent pc = server.agent("pc-direct", "Direct PC", a -> a.on("ping", p -> Map.of("pong", true)))) {
            ApiResult r = admin.post("/api/control/command", Map.of("target_client", "pc-direct", "request_id", "direct-1", "command", "ping"));
            assertEquals(200, r.status(), r.toString());
            assertTrue(r.data().path("pong").asBoolean());
            assertEquals("direct-1", pc.history().stream().filter(f -> "command".equals(f.path("type").asText())).findFirst()
                    .orElseThrow().path("request_id").asText());
            JsonNode merged = admin.get("/api/management/clients?q=direct").data();
            assertEquals("direct", merged.path("items").path(0).path("via").asText());
        }
    }

    @Test
    void lmsWebSocketsAreAdmittedByTheirKeyOnly() {
        String key = register("lms-w", "W").path("api_key").asText();
        String other = register("lms-v", "V").path("api_key").asText();
        try (FakeAgent wrong = fakeLms("lms-w", other, a -> { })) {
            assertTrue(wrong.awaitClosed(Duration.ofSeconds(5)).reason().contains("not valid"));
        }
        try (FakeAgent unknown = fakeLms("lms-nobody", key, a -> { })) {
            assertTrue(unknown.awaitClosed(Duration.ofSeconds(5)).reason().contains("No LMS"));
        }
        try (FakeAgent lms = fakeLms("lms-w", key, a -> { })) {
            assertEquals("approved", lms.await("registered", Duration.ofSeconds(5)).path("status").asText());
        }
        // Once an LMS, the uuid cannot come back as an ordinary client.
        FakeAgent impostor = new FakeAgent("lms-w");
        impostor.register(server.baseUrl().replace("http", "ws") + "/ws/lms-w", "impostor", Map.of());
        try (impostor) {
            assertTrue(impostor.awaitClosed(Duration.ofSeconds(5)).reason().contains("type 'lms'"));
        }
    }

    // ---- bounded history -----------------------------------------------------------------------------------

    @Test
    void oldHeartbeatsArePrunedOnSchedule() throws Exception {
        JsonNode reg = register("lms-h", "H");
        as(reg.path("api_key").asText()).post("/api/lms/heartbeat", heartbeat("lms-h"));
        long old = System.currentTimeMillis() - Duration.ofDays(2).toMillis();
        try (Connection c = connection();
             PreparedStatement s = c.prepareStatement("INSERT INTO msync_heartbeats (lms_id, received_at, client_count, online_count)"
                     + " VALUES (?, ?, 0, 0)")) {
            s.setString(1, reg.path("lms_id").asText());
            s.setLong(2, old);
            s.executeUpdate();
        }
        try (Connection c = connection();
             PreparedStatement s = c.prepareStatement("INSERT INTO msync_syncs (client_uuid, sync_key, received_at, client_time,"
                     + " courses, schedules) VALUES ('pc-old', 'id:old-1', ?, '2026-01-01T00:00:00Z', 0, 0)")) {
            s.setLong(1, old);
            s.executeUpdate();
        }
        Poll.until("the old heartbeat is pruned", Duration.ofSeconds(10), () -> count("SELECT COUNT(*) FROM msync_heartbeats WHERE received_at < "
                + (old + 1)) == 0);
        assertEquals(1, count("SELECT COUNT(*) FROM msync_heartbeats"), "the fresh heartbeat stays");
        assertEquals(1, count("SELECT COUNT(*) FROM msync_syncs WHERE sync_key = 'id:old-1'"),
                "sync keys are kept far longer (SYNC_KEY_DAYS) than the history: an old replay still applies once");
    }

    /** A connection to the server's database (outside the server's pool). */
    protected abstract Connection connection() throws Exception;

    private long count(String sql) {
        try (Connection c = connection(); PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String randomSuffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
