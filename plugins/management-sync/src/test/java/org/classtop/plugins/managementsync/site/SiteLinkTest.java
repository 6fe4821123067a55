package org.classtop.plugins.managementsync.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.classtop.core.config.ServerRole;
import org.classtop.plugins.managementsync.ManagementSyncServerPlugin;
import org.classtop.testing.FakeAgent;
import org.classtop.testing.Poll;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real LMS (in-process server, SQLite on disk) reporting to a stand-in centre over real HTTP and WebSocket. */
class SiteLinkTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String TOKEN = "enrol-abc";

    StandInCentre centre;
    TestServer lms;
    final List<FakeAgent> agents = new ArrayList<>();

    @AfterEach
    void stop() {
        agents.forEach(FakeAgent::close);
        if (lms != null) {
            lms.close();
        }
        if (centre != null) {
            centre.close();
        }
    }

    private TestServer startLms(String token) {
        lms = TestServer.builder()
                .serverConfig(c -> c.managementUrl(centre.url()).managementToken(token).managementInterval(1))
                .plugin("management-sync", new ManagementSyncServerPlugin())
                .start();
        return lms;
    }

    private FakeAgent agent(String uuid, java.util.function.Consumer<FakeAgent> script) {
        FakeAgent agent = lms.agent(uuid, "PC " + uuid, script);
        agents.add(agent);
        return agent;
    }

    private JsonNode status() {
        return lms.api().get("/api/management-sync/status").data();
    }

    private List<JsonNode> writes(String path) {
        return centre.applied().stream().filter(w -> w.path().equals(path)).map(StandInCentre.Write::body).toList();
    }

    private static boolean lists(JsonNode heartbeat, String uuid, String status) {
        for (JsonNode client : heartbeat.path("clients")) {
            if (client.path("uuid").asText().equals(uuid) && client.path("status").asText().equals(status)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void registersWithTheTokenHeartbeatsItsClientsAndKeepsItsIdentityAcrossARestart() throws Exception {
        centre = new StandInCentre(TOKEN);
        startLms(TOKEN);
        agent("pc-1", a -> { });
        Poll.until("a heartbeat listing pc-1 online", WAIT,
                () -> writes("/api/lms/heartbeat").stream().anyMatch(h -> lists(h, "pc-1", "online")));

        assertEquals(List.of(TOKEN), centre.registerTokens(), "registered once, with the management token");
        JsonNode registration = centre.registrations().get(0);
        String lmsUuid = registration.path("lms_uuid").asText();
        assertFalse(lmsUuid.isBlank());
        assertTrue(registration.path("port").isInt());
        assertFalse(registration.path("version").asText().isBlank());

        List<JsonNode> heartbeats = writes("/api/lms/heartbeat");
        long previous = 0;
        for (JsonNode heartbeat : heartbeats) {
            assertEquals(lmsUuid, heartbeat.path("lms_uuid").asText());
            assertTrue(heartbeat.path("seq").asLong() > previous, "seq grows: " + heartbeats);
            previous = heartbeat.path("seq").asLong();
            assertEquals(heartbeat.path("clients").size(), heartbeat.path("client_count").asInt());
            assertEquals(1, heartbeat.path("interval").asInt(), "its --management-interval, for the centre's online/offline");
        }
        Poll.until("pc-1 registered with the centre through its LMS", WAIT,
                () -> writes("/api/clients/register").stream().anyMatch(c -> c.path("uuid").asText().equals("pc-1")));

        Path identity = lms.dataDir().resolve("plugins-data").resolve("management-sync").resolve(SiteIdentity.FILE_NAME);
        if (!Files.exists(identity)) {
            try (var files = Files.walk(lms.dataDir())) {
                identity = files.filter(p -> p.getFileName().toString().equals(SiteIdentity.FILE_NAME)).findFirst().orElseThrow();
            }
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(identity)));
        assertTrue(Files.readString(identity).contains("key-1"));

        Poll.until("the live link", WAIT, () -> status().path("connected").asBoolean());
        JsonNode status = status();
        assertTrue(status.path("enabled").asBoolean());
        assertTrue(status.path("registered").asBoolean());
        assertEquals(lmsUuid, status.path("lms_uuid").asText());
        assertEquals("7", status.path("lms_id").asText());
        assertEquals(SiteSettings.DEFAULT_OUTBOX_MAX, status.path("outbox").path("max").asInt());
        assertFalse(status.toString().contains("key-1"), "the key is never shown");

        int before = writes("/api/lms/heartbeat").size();
        lms.restart();
        Poll.until("a heartbeat after the restart", WAIT, () -> writes("/api/lms/heartbeat").size() > before + 1);
        assertEquals(1, centre.registrations().size(), "the kept key is used, no new registration");
        assertTrue(writes("/api/lms/heartbeat").stream().allMatch(h -> h.path("lms_uuid").asText().equals(lmsUuid)));
        assertEquals(0, centre.duplicates());
    }

    @Test
    void aKeyTheCentreNoLongerTakesMakesTheLmsRegisterAgainUnderTheSameUuid() {
        centre = new StandInCentre(TOKEN);
        startLms(TOKEN);
        Poll.until("the first heartbeat", WAIT, () -> !writes("/api/lms/heartbeat").isEmpty());
        centre.revokeKey();
        Poll.until("a second registration", WAIT, () -> centre.registrations().size() == 2);
        int applied = writes("/api/lms/heartbeat").size();
        Poll.until("heartbeats with the new key", WAIT, () -> writes("/api/lms/heartbeat").size() > applied);
        assertEquals(centre.registrations().get(0).path("lms_uuid"), centre.registrations().get(1).path("lms_uuid"));
        assertEquals(List.of(TOKEN, TOKEN), centre.registerTokens());
        assertTrue(centre.unauthorized() >= 1);
        assertEquals(0, centre.registeredWhileOldSocketOpen(), "the socket of the forgotten key was dropped before registering");
        Poll.until("the socket back with the new key", WAIT, () -> status().path("connected").asBoolean());
    }

    /** A state change whose settings equal the last ones sent owes the centre nothing. */
    @Test
    void unchangedSettingsAreNotSentAgain() {
        centre = new StandInCentre(TOKEN);
        startLms(TOKEN);
        FakeAgent pc = agent("pc-s", a -> { });
        pc.stateUpdate(Map.of("settings", Map.of("theme", "dark", "volume", 3)));
        Poll.until("the settings synced", WAIT, () -> writes("/api/sync").size() == 1);
        pc.stateUpdate(Map.of("settings", Map.of("volume", 3, "theme", "dark"), "page", "home"));
        pc.close();
        // Events are handled in order: a re-sent sync would be owed before this second registration.
        agent("pc-s", a -> { });
        Poll.until("pc-s registered again", WAIT, () -> writes("/api/clients/register").stream()
                .filter(c -> c.path("uuid").asText().equals("pc-s")).count() == 2);
        assertEquals(1, writes("/api/sync").size(), "unchanged settings were not sent again: " + writes("/api/sync"));
        assertTrue(status().path("drains_queued").asLong() >= 1, status().toString());
        FakeAgent again = agents.get(agents.size() - 1);
        again.stateUpdate(Map.of("settings", Map.of("theme", "light", "volume", 3)));
        Poll.until("changed settings synced", WAIT, () -> writes("/api/sync").size() == 2);
        assertEquals("light", writes("/api/sync").get(1).path("settings").path("theme").asText());
    }

    @Test
    void aWrongTokenIsReportedAndNothingIsLost() {
        centre = new StandInCentre(TOKEN);
        startLms("not-the-token");
        agent("pc-1", a -> { });
        Poll.until("the refusal in the status", WAIT,
                () -> status().path("last_error").asText().contains("The registration token is not valid."));
        assertTrue(centre.applied().isEmpty());
        // pc-1's registration joins the outbox when its connect event is handled, maybe after the refusal.
        Poll.until("heartbeat and pc-1 waiting", WAIT, () -> status().path("outbox").path("size").asInt() >= 2);
        assertTrue(centre.applied().isEmpty());
        assertFalse(status().path("registered").asBoolean());
    }

    @Test
    void whileTheCentreIsDownTheOutboxKeepsWhatIsOwedAcrossARestartAndSendsItInOrderOnce() {
        centre = new StandInCentre(TOKEN);
        startLms(TOKEN);
        Poll.until("the first heartbeat", WAIT, () -> !writes("/api/lms/heartbeat").isEmpty());
        centre.stop();
        int appliedBefore = centre.applied().size();

        agent("pc-2", a -> { });
        agent("pc-3", a -> { });
        Poll.until("pc-2, pc-3 and the heartbeat owed", WAIT,
                () -> status().path("outbox").path("size").asInt() >= 3);
        assertTrue(status().path("last_error").asText().contains("cannot be reached"), status().toString());
        agents.get(0).close();

        lms.restart(); // the outbox is in the LMS's database
        Poll.until("the outbox after the restart", WAIT, () -> status().path("outbox").path("size").asInt() >= 3);

        centre.start();
        Poll.until("the outbox drained", WAIT, () -> status().path("outbox").path("size").asInt() == 0);
        List<StandInCentre.Write> after = centre.applied().subList(appliedBefore, centre.applied().size());
        List<String> registered = after.stream().filter(w -> w.path().equals("/api/clients/register"))
                .map(w -> w.body().path("uuid").asText()).toList();
        assertTrue(registered.containsAll(List.of("pc-2", "pc-3")), "client changes made while down: " + registered);
        long previous = 0;
        for (StandInCentre.Write write : after) {
            if (write.body().has("seq")) {
                assertTrue(write.body().path("seq").asLong() > previous, "in order: " + after);
                previous = write.body().path("seq").asLong();
            }
        }
        Poll.until("a heartbeat that shows pc-2 offline", WAIT,
                () -> writes("/api/lms/heartbeat").stream().anyMatch(h -> lists(h, "pc-2", "offline")));
        assertEquals(0, centre.duplicates(), "nothing applied twice");
        assertEquals(0, status().path("outbox").path("dropped").asInt());
        assertEquals(0, status().path("outbox").path("rejected").asInt());
    }

    private static Map<String, Object> relay(String requestId, Map<String, Object> params) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "command");
        frame.put("request_id", requestId);
        frame.put("command", "lms_relay");
        frame.put("params", params);
        return frame;
    }

    private JsonNode answer(String requestId) throws InterruptedException {
        return centre.awaitFrame(f -> f.path("type").asText().equals("response")
                && f.path("request_id").asText().equals(requestId), "the answer to " + requestId);
    }

    @Test
    void theCentresRoutedCommandsAreAnsweredByTheLocalAgentsUnderTheSameRequestId() throws Exception {
        centre = new StandInCentre(TOKEN);
        startLms(TOKEN);
        agent("pc-1", a -> a.on("echo", p -> Map.of("echo", p.path("text").asText()))
                .on("fail", p -> {
                    throw new FakeAgent.Failure("The disk is full.");
                }));
        agent("pc-mute", a -> a.silent());

        JsonNode register = centre.awaitFrame(f -> f.path("type").asText().equals("register"), "the register frame");
        assertEquals("lms", register.path("client_type").asText());
        assertEquals("key-1", register.path("token").asText());
        assertEquals(centre.registrations().get(0).path("lms_uuid").asText(), register.path("client_uuid").asText());
        assertEquals("lms_relay", register.path("capabilities").get(0).asText());
        assertEquals(1, register.path("protocol").asInt());

        centre.sendToLms(relay("r-1", Map.of("target_client", "pc-1", "command", "echo", "params", Map.of("text", "hi"),
                "timeout", 5)));
        JsonNode ok = answer("r-1");
        assertTrue(ok.path("success").asBoolean(), ok.toString());
        assertEquals("hi", ok.path("data").path("echo").asText());

        centre.sendToLms(relay("r-2", Map.of("target_client", "nobody", "command", "echo")));
        assertEquals("CLIENT_NOT_FOUND", answer("r-2").path("data").path("code").asText());

        centre.sendToLms(relay("r-3", Map.of("target_client", "pc-1", "command", "fail")));
        JsonNode failed = answer("r-3");
        assertFalse(failed.path("success").asBoolean());
        assertEquals("COMMAND_FAILED", failed.path("data").path("code").asText());
        assertTrue(failed.path("data").path("error").asText().contains("The disk is full."), failed.toString());

        centre.sendToLms(relay("r-4", Map.of("target_client", "pc-mute", "command", "echo", "timeout", 1)));
        assertEquals("COMMAND_TIMEOUT", answer("r-4").path("data").path("code").asText());

        centre.sendToLms(relay("r-5", Map.of("target_client", "pc-1")));
        JsonNode bad = answer("r-5");
        assertEquals("INVALID_REQUEST", bad.path("data").path("code").asText());
        assertEquals("lms_relay needs params.command (text).", bad.path("data").path("error").asText());

        centre.sendToLms(Map.of("type", "command", "request_id", "r-6", "command", "reboot", "params", Map.of()));
        assertEquals("UNKNOWN_COMMAND", answer("r-6").path("data").path("code").asText());

        centre.sendToLms(relay("r-7", Map.of("target_client", "pc-1", "command", "echo", "timeout", 9999)));
        assertEquals("INVALID_REQUEST", answer("r-7").path("data").path("code").asText());

        agents.get(0).close();
        Poll.until("pc-1 offline at the LMS", WAIT,
                () -> !lms.api().get("/api/clients/pc-1").data().path("online").asBoolean());
        centre.sendToLms(relay("r-8", Map.of("target_client", "pc-1", "command", "echo")));
        assertEquals("CLIENT_OFFLINE", answer("r-8").path("data").path("code").asText());

        // A frame beyond the bound is dropped; the link keeps working.
        centre.sendToLms(Map.of("type", "command", "request_id", "huge", "command", "lms_relay",
                "params", Map.of("pad", "x".repeat(CentreSocket.MAX_FRAME_CHARS))));
        centre.sendToLms(relay("r-9", Map.of("target_client", "nobody", "command", "echo")));
        assertEquals("CLIENT_NOT_FOUND", answer("r-9").path("data").path("code").asText());
        assertTrue(centre.frames().stream().noneMatch(f -> f.path("request_id").asText().equals("huge")));

        centre.awaitFrame(f -> f.path("type").asText().equals("heartbeat"), "a heartbeat frame");
        assertTrue(status().path("relayed").asInt() >= 8);
    }

    @Test
    void aFloodOfRelaysIsBoundedAndTheOverflowIsAnsweredBusy() throws Exception {
        centre = new StandInCentre(TOKEN);
        startLms(TOKEN);
        agent("pc-mute", a -> a.silent());
        centre.awaitFrame(f -> f.path("type").asText().equals("register"), "the register frame");
        for (int i = 0; i < CentreSocket.MAX_IN_FLIGHT; i++) {
            centre.sendToLms(relay("wait-" + i, Map.of("target_client", "pc-mute", "command", "echo", "timeout", 60)));
        }
        centre.sendToLms(relay("one-too-many", Map.of("target_client", "pc-mute", "command", "echo")));
        JsonNode busy = answer("one-too-many");
        assertEquals("LMS_BUSY", busy.path("data").path("code").asText(), busy.toString());
        assertTrue(centre.frames().stream().noneMatch(f -> f.path("request_id").asText().startsWith("wait-")),
                "the waiting relays are still waiting");
        agents.get(0).close(); // their agent goes: every waiting relay is answered
        answer("wait-" + (CentreSocket.MAX_IN_FLIGHT - 1));
        centre.sendToLms(relay("after", Map.of("target_client", "nobody", "command", "echo")));
        assertEquals("CLIENT_NOT_FOUND", answer("after").path("data").path("code").asText(), "room again");
    }

    @Test
    void theSocketComesBackAfterTheCentreWasDown() throws Exception {
        centre = new StandInCentre(TOKEN);
        startLms(TOKEN);
        centre.awaitFrame(f -> f.path("type").asText().equals("register"), "the register frame");
        centre.stop();
        Poll.until("the link seen down", WAIT, () -> !status().path("connected").asBoolean());
        centre.start();
        Poll.until("the link back", WAIT, centre::isLmsConnected);
        Poll.until("the link seen up", WAIT, () -> status().path("connected").asBoolean());
    }

    @Test
    void thePartIsInertWithoutAManagementUrlAndOnTheManagementRole() {
        centre = new StandInCentre(null);
        lms = TestServer.builder().plugin("management-sync", new ManagementSyncServerPlugin()).start();
        JsonNode status = status();
        assertFalse(status.path("enabled").asBoolean());
        assertEquals("lms", status.path("role").asText());
        lms.close();

        lms = TestServer.builder()
                .serverConfig(c -> c.role(ServerRole.MANAGEMENT).managementUrl(centre.url()).managementInterval(1))
                .plugin("management-sync", new ManagementSyncServerPlugin())
                .start();
        assertFalse(status().path("enabled").asBoolean());
        assertEquals("management", status().path("role").asText());
        assertTrue(centre.registrations().isEmpty());
        assertEquals(401, lms.api().anonymous().get("/api/management-sync/status").status(), "login needed");
    }
}
