package org.classtop.plugins.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.classtop.testing.RealAgent;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The settings plugin end to end: its REST routes on the real server, its commands on the real agent
 * runtime (platform-testing's RealAgent), both installed in-process.
 */
class SettingsEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static TestServer server;
    private static RealAgent room101;
    private static RealAgent room102;

    @BeforeAll
    static void start() {
        server = TestServer.builder().plugin("settings", new SettingsServerPlugin(), new SettingsAgentPlugin()).start();
        room101 = agent("room-101", "Room 101");
        room102 = agent("room-102", "Room 102");
    }

    private static RealAgent agent(String uuid, String name) {
        return server.realAgent(uuid).name(name).plugin("settings", new SettingsAgentPlugin()).start();
    }

    @AfterAll
    static void stop() {
        room101.close();
        room102.close();
        server.close();
    }

    @Test
    void setGetAndBatchOnOneClient() {
        ApiResult put = server.api().put("/api/settings/room-101/theme", Map.of("value", "dark"));
        assertEquals(200, put.status(), put.toString());
        assertEquals("dark", server.api().get("/api/settings/room-101/theme").data().path("value").asText());

        ApiResult batch = server.api().post("/api/settings/room-101/batch", Map.of("settings", Map.of("volume", 30, "muted", true)));
        assertEquals(200, batch.status(), batch.toString());
        JsonNode all = server.api().get("/api/settings/room-101").data().path("settings");
        assertEquals("30", all.path("volume").asText(), "values are stored as strings, as the ClassTop client does");
        assertEquals("true", all.path("muted").asText());
        assertEquals("dark", all.path("theme").asText());

        Poll.until("state_update reached the server", WAIT, () -> "30".equals(server.api().get("/api/clients/room-101").data()
                .path("state").path("settings").path("volume").asText()));
        Poll.until("settings.changed event logged", WAIT, () -> server.api().get("/api/events?client=room-101&prefix=settings.")
                .data().size() > 0);
    }

    @Test
    void theHistoryLeavesOutReadsWhenAskedButKeepsThemInTheLog() {
        assertEquals(200, server.api().put("/api/settings/room-101/clock", Map.of("value", "24h")).status());
        assertEquals(200, server.api().get("/api/settings/room-101").status()); // get_all_settings: a read
        String all = server.api().get("/api/commands?client=room-101&limit=1000").data().toString();
        assertTrue(all.contains("get_all_settings") && all.contains("set_setting"), all);
        String withoutReads = server.api().get("/api/commands?client=room-101&limit=1000&reads=false").data().toString();
        assertTrue(withoutReads.contains("set_setting"), withoutReads);
        assertFalse(withoutReads.contains("get_all_settings"), withoutReads);
        String byName = server.api().get("/api/commands?command=get_all_settings&reads=false").data().toString();
        assertTrue(byName.contains("get_all_settings"), "a read asked for by name is shown: " + byName);
        ApiResult bad = server.api().get("/api/commands?reads=maybe");
        assertEquals(400, bad.status(), bad.toString());
    }

    @Test
    void keysWithPercentSlashOrSpaceArriveExactlyAsTyped() {
        for (String key : new String[] {"100%", "%41", "a/b", "with space", "主题"}) {
            String path = "/api/settings/room-101/" + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("+", "%20");
            ApiResult put = server.api().put(path, Map.of("value", "v-" + key));
            assertEquals(200, put.status(), key + ": " + put);
            assertEquals(key, put.data().path("key").asText());
            assertEquals("v-" + key, server.api().get(path).data().path("value").asText(), key);
        }
    }

    @Test
    void batchAcrossManyClientsAnswersPerClient() {
        ApiResult result = server.api().post("/api/settings/batch",
                Map.of("clients", List.of("room-101", "room-102", "nobody"), "settings", Map.of("bell", "on")));
        assertEquals(200, result.status(), result.toString());
        JsonNode results = result.data().path("results");
        assertTrue(results.path("room-101").path("success").asBoolean());
        assertTrue(results.path("room-102").path("success").asBoolean());
        assertFalse(results.path("nobody").path("success").asBoolean());
        assertEquals("CLIENT_NOT_FOUND", results.path("nobody").path("code").asText());
        assertEquals(2, result.data().path("succeeded").asInt());
        assertEquals(1, result.data().path("failed").asInt());
        assertEquals("on", server.api().get("/api/settings/room-102/bell").data().path("value").asText());
    }

    @Test
    void badSettingsInputGetsClearErrors() {
        ApiResult unknownKey = server.api().get("/api/settings/room-101/no-such-key");
        assertEquals(502, unknownKey.status(), unknownKey.toString());
        assertEquals("COMMAND_FAILED", unknownKey.code());
        assertTrue(unknownKey.error().contains("no-such-key"), unknownKey.error());

        ApiResult noValue = server.api().put("/api/settings/room-101/theme", Map.of("colour", "red"));
        assertEquals(400, noValue.status());
        assertEquals("INVALID_REQUEST", noValue.code());
        ApiResult objectValue = server.api().put("/api/settings/room-101/theme", Map.of("value", Map.of("a", 1)));
        assertEquals(400, objectValue.status(), objectValue.toString());
        assertEquals(400, server.api().post("/api/settings/room-101/batch", Map.of("settings", List.of())).status());
        assertEquals(400, server.api().post("/api/settings/batch", Map.of("settings", Map.of("a", "b"))).status());
        assertEquals(404, server.api().get("/api/settings/nobody").status());
    }

    @Test
    void deletesASettingAndRefusesUnknownKeysAndOfflineClients() {
        assertEquals(200, server.api().put("/api/settings/room-102/wallpaper", Map.of("value", "blue")).status());
        ApiResult deleted = server.api().delete("/api/settings/room-102/wallpaper");
        assertEquals(200, deleted.status(), deleted.toString());
        assertTrue(deleted.data().path("deleted").asBoolean(), deleted.toString());
        assertFalse(server.api().get("/api/settings/room-102").data().path("settings").has("wallpaper"));
        Poll.until("the deletion reached the server's copy of the state", WAIT, () -> !server.api()
                .get("/api/clients/room-102").data().path("state").path("settings").has("wallpaper"));

        ApiResult again = server.api().delete("/api/settings/room-102/wallpaper");
        assertEquals(404, again.status(), again.toString());
        assertEquals("SETTING_NOT_FOUND", again.code());
        assertEquals("Client 'room-102' has no setting 'wallpaper'.", again.error());

        RealAgent room103 = agent("room-103", "Room 103");
        assertEquals(200, server.api().put("/api/settings/room-103/theme", Map.of("value", "dark")).status());
        room103.close();
        Poll.until("room-103 is offline", WAIT, () -> !server.api().get("/api/clients/room-103").data().path("online").asBoolean());
        ApiResult offline = server.api().delete("/api/settings/room-103/theme");
        assertEquals(503, offline.status(), offline.toString());
        assertEquals("CLIENT_OFFLINE", offline.code());
        assertEquals(404, server.api().delete("/api/settings/nobody/theme").status());
    }

    @Test
    void theSettingsPluginIsDescribedInPluginsPanelsAndOpenApi() {
        JsonNode plugins = server.api().get("/api/plugins").data();
        JsonNode settings = null;
        for (JsonNode p : plugins) {
            if (p.path("id").asText().equals("settings")) {
                settings = p;
            }
        }
        assertEquals("started", settings == null ? null : settings.path("state").asText());
        assertTrue(settings.path("descriptions").path("zh-CN").asText().startsWith("读取和修改"), settings.toString());
        assertTrue(settings.path("routes").toString().contains("/api/settings/{uuid}/{key}"));
        assertTrue(settings.path("commands").toString().contains("update_settings_batch"));
        assertTrue(settings.path("commands").toString().contains("delete_setting"));
        // Commands declare descriptions per language and whether they are reads (CommandBuilder.description/read).
        JsonNode getAll = null;
        JsonNode set = null;
        for (JsonNode command : settings.path("commands")) {
            if (command.path("name").asText().equals("get_all_settings")) {
                getAll = command;
            } else if (command.path("name").asText().equals("set_setting")) {
                set = command;
            }
        }
        assertEquals("读取此客户端的全部设置", getAll.path("descriptions").path("zh-CN").asText(), getAll.toString());
        assertEquals("Every setting of this client", getAll.path("description").asText());
        assertTrue(getAll.path("read").asBoolean(), "get_all_settings is a read");
        assertEquals(false, set.path("read").asBoolean(true), "set_setting changes something");
        assertTrue(server.api().get("/api/ui/panels").data().toString().contains("classtop-settings-panel"));
        JsonNode openApi = server.api().get("/openapi.json").json();
        assertTrue(openApi.path("paths").has("/api/settings/{uuid}/{key}"));
        assertTrue(openApi.path("paths").has("/api/settings/batch"));
        ApiResult panel = server.api().anonymous().get("/plugins/settings/panel.js");
        assertEquals(200, panel.status());
        assertTrue(panel.text().contains("classtop-settings-panel"));
    }
}
