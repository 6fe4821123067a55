package org.classtop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-site with real processes from the distribution: an LMS started with {@code --management-url} and an agent
 * in {@code --connection-mode both}, against a stand-in centre that speaks the wire contract (the real centre
 * part of management-sync is built separately; swap the stand-in for {@code classtop-lms --role management} once
 * both are merged). The LMS registers, heartbeats its clients and answers a routed command over its WebSocket;
 * the agent registers with the centre and syncs courses, schedules and settings; with the centre down the LMS
 * keeps serving and owes its writes in the outbox, which drains in order, once, when the centre is back.
 */
class ManagementSyncIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @RegisterExtension
    final StartedResources started = new StartedResources();

    private static boolean lists(JsonNode heartbeat, String uuid, String status) {
        for (JsonNode client : heartbeat.path("clients")) {
            if (client.path("uuid").asText().equals(uuid) && client.path("status").asText().equals(status)) {
                return true;
            }
        }
        return false;
    }

    private static boolean syncedWith(StandInCentre centre, String uuid, String course) {
        return centre.applied("/api/sync").stream().anyMatch(w -> w.body().path("client_uuid").asText().equals(uuid)
                && w.bearer().startsWith("client-key-") && w.body().path("courses").toString().contains(course));
    }

    @Test
    void anLmsAndADualModeAgentReportToTheCentreAndTheOutboxCarriesTheCentresDowntime() throws Exception {
        String registration = LmsServer.randomToken();
        StandInCentre centre = started.track(new StandInCentre(registration));
        LmsServer lms = started.track(LmsServer.start(work, LmsServer.randomToken(), work.resolve("lms-data"), 0,
                "--enrollment", "open", "--management-url", centre.url(), "--management-token", registration,
                "--management-interval", "1"));
        Poll.until("the LMS registered and heartbeating", WAIT, () -> !centre.applied("/api/lms/heartbeat").isEmpty());
        assertEquals(1, centre.registrations().size());

        Path agentData = work.resolve("agent-both");
        Files.createDirectories(agentData);
        Path dataFile = agentData.resolve("classtop-data.json");
        Files.writeString(dataFile, "{\"courses\":[{\"id\":1,\"name\":\"Maths\"}],"
                + "\"schedules\":[{\"course_id\":1,\"day_of_week\":1,\"start_time\":\"08:00\",\"end_time\":\"08:45\"}]}");
        AgentProcess both = started.track(AgentProcess.start(work, lms.url(), "Room 201", agentData, null,
                "--connection-mode", "both", "--management-url", centre.url(), "--management-token", registration,
                "--sync-interval", "2"));
        both.awaitConnected(WAIT);
        String bothUuid = both.uuid();

        // The agent in both mode: registered with the centre (client_key kept owner-only) and syncing.
        Poll.until("the agent's sync with its courses", WAIT, () -> syncedWith(centre, bothUuid, "Maths"));
        JsonNode sync = centre.applied("/api/sync").stream()
                .filter(w -> w.body().path("client_uuid").asText().equals(bothUuid)).findFirst().orElseThrow().body();
        assertEquals("08:00", sync.path("schedules").get(0).path("start_time").asText());
        assertTrue(sync.path("settings").isObject(), "the settings plugin's section: " + sync);
        assertTrue(Files.readString(agentData.resolve("management.json")).contains("client-key-"));
        Poll.until("the LMS's heartbeat listing the agent", WAIT, () -> centre.applied("/api/lms/heartbeat").stream()
                .anyMatch(h -> lists(h.body(), bothUuid, "online")));

        // A command routed from the centre through the LMS's WebSocket, answered under the same request id.
        Poll.until("the LMS's WebSocket", WAIT, centre::lmsConnected);
        centre.awaitFrame(f -> f.path("type").asText().equals("register") && f.path("client_type").asText().equals("lms"),
                "the LMS's register frame", 30_000);
        centre.sendToLms(Map.of("type", "command", "request_id", "route-1", "command", "lms_relay", "params",
                Map.of("target_client", bothUuid, "command", "set_setting",
                        "params", Map.of("key", "theme", "value", "dark"), "timeout", 10)));
        JsonNode answer = centre.awaitFrame(f -> f.path("request_id").asText().equals("route-1"), "the answer", 30_000);
        assertTrue(answer.path("success").asBoolean(), answer.toString());
        assertEquals("dark", lms.api().get("/api/settings/" + bothUuid + "/theme").data().path("value").asText());
        centre.sendToLms(Map.of("type", "command", "request_id", "route-2", "command", "lms_relay", "params",
                Map.of("target_client", "no-such-pc", "command", "get_all_settings")));
        assertEquals("CLIENT_NOT_FOUND", centre.awaitFrame(f -> f.path("request_id").asText().equals("route-2"),
                "the answer", 30_000).path("data").path("code").asText());
        Poll.until("the setting synced to the centre", WAIT, () -> centre.applied("/api/sync").stream()
                .anyMatch(w -> w.body().path("client_uuid").asText().equals(bothUuid)
                        && "dark".equals(w.body().path("settings").path("theme").asText())));

        // The centre goes down: the LMS keeps serving its clients and owes the centre what happens meanwhile.
        centre.stop();
        int appliedBefore = centre.applied().size();
        AgentProcess lmsOnly = started.track(AgentProcess.start(work, lms.url(), "Room 202", work.resolve("agent-lms"), null));
        lmsOnly.awaitConnected(WAIT);
        String lmsOnlyUuid = lmsOnly.uuid();
        Poll.until("the new client at the LMS", WAIT, () -> lms.isOnline(lmsOnlyUuid));
        assertEquals(200, lms.api().put("/api/settings/" + lmsOnlyUuid + "/volume", Map.of("value", 30)).status(),
                "the LMS serves its clients while the centre is down");
        Poll.until("writes owed in the outbox", WAIT, () -> status(lms).path("outbox").path("size").asInt() >= 2);
        JsonNode down = status(lms);
        assertTrue(down.path("last_error").asText().contains("cannot be reached"), down.toString());
        Files.writeString(dataFile, "{\"courses\":[{\"id\":1,\"name\":\"Maths\"},{\"id\":2,\"name\":\"Physics\"}],"
                + "\"schedules\":[]}");

        centre.start();
        Poll.until("the outbox drained", WAIT, () -> status(lms).path("outbox").path("size").asInt() == 0);
        List<StandInCentre.Write> after = centre.applied().subList(appliedBefore, centre.applied().size());
        assertTrue(after.stream().anyMatch(w -> w.path().equals("/api/clients/register")
                && w.body().path("uuid").asText().equals(lmsOnlyUuid)), "the client that came while down: " + after);
        Poll.until("a heartbeat listing both clients", WAIT, () -> centre.applied("/api/lms/heartbeat").stream()
                .anyMatch(h -> lists(h.body(), bothUuid, "online") && lists(h.body(), lmsOnlyUuid, "online")));
        Poll.until("the agent's sync after the downtime", WAIT, () -> syncedWith(centre, bothUuid, "Physics"));
        long previous = 0;
        for (StandInCentre.Write write : after) {
            if (write.body().has("seq")) {
                assertTrue(write.body().path("seq").asLong() > previous, "sent in order: " + after);
                previous = write.body().path("seq").asLong();
            }
        }
        assertEquals(0, centre.duplicates(), "nothing applied twice");
        JsonNode up = status(lms);
        assertEquals(0, up.path("outbox").path("dropped").asInt());
        assertEquals(1, centre.registrations().size(), "the LMS kept its key across the downtime");
        assertFalse(up.toString().contains("lms-key-"), "the key is never shown");
    }

    private static JsonNode status(LmsServer lms) {
        return lms.api().get("/api/management-sync/status").data();
    }
}
