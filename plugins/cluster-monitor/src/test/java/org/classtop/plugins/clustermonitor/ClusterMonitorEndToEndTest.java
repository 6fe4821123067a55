package org.classtop.plugins.clustermonitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plugin on the real server, against fake media servers on loopback: a healthy one, one answering 500,
 * one that hangs past the time-out, and one that goes down and comes back.
 */
class ClusterMonitorEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static FakeMediaServer healthy;
    private static FakeMediaServer broken;
    private static FakeMediaServer hanging;
    private static FakeMediaServer flapping;
    private static Path data;
    private static Path serversFile;
    private static TestServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() throws IOException {
        healthy = new FakeMediaServer().channel("ch1", "running").channel("ch2", "stopped").start();
        broken = new FakeMediaServer().channel("ch1", "running").start();
        broken.statusCode = 500;
        broken.stopCode = 500;
        hanging = new FakeMediaServer().channel("ch1", "running").start();
        hanging.hangStatus = true;
        hanging.hangControl = true;
        flapping = new FakeMediaServer().channel("live", "running").start();

        data = Files.createTempDirectory("cluster-monitor-e2e-");
        serversFile = data.resolve("servers.json");
        writeServers(standardServers());
        server = TestServer.builder()
                .dataDir(data)
                .pluginConfig("cluster-monitor.POLL_INTERVAL", "0.2")
                .pluginConfig("cluster-monitor.POLL_TIMEOUT", "0.5")
                .pluginConfig("cluster-monitor.RESTART_TIMEOUT", "1")
                .pluginConfig("cluster-monitor.POLL_CONCURRENCY", "4")
                .plugin("cluster-monitor", new ClusterMonitorServerPlugin())
                .start();
        api = server.api();
    }

    private static List<Map<String, Object>> standardServers() {
        Map<String, Object> first = healthy.entry("enc-1", "Encoder 1");
        first.put("rack", "A3");
        return new ArrayList<>(List.of(first, broken.entry("enc-500", "Broken encoder"),
                hanging.entry("enc-hang", "Hanging encoder"), flapping.entry("enc-flap", "Flapping encoder")));
    }

    private static void writeServers(Object servers) throws IOException {
        Files.write(serversFile, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(servers));
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        Stream.of(healthy, broken, hanging, flapping).forEach(FakeMediaServer::close);
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static JsonNode status(String id) {
        ApiResult result = api.get("/api/servers/" + id + "/status");
        assertEquals(200, result.status(), result.toString());
        return result.data();
    }

    private static JsonNode statusWhen(String id, String state) {
        return Poll.value(id + " in state " + state, WAIT, () -> status(id), s -> state.equals(s.path("state").asText()));
    }

    @Test
    void cachedStatusOfAHealthyServer() {
        JsonNode status = statusWhen("enc-1", "ok");
        assertEquals("enc-1", status.path("server_id").asText());
        assertEquals("Encoder 1", status.path("name").asText());
        assertTrue(status.path("reachable").asBoolean());
        assertFalse(status.path("healthy").asBoolean(), "ch2 reports stopped");
        assertEquals(37.5, status.path("cpu").asDouble());
        assertEquals(2, status.path("channels_total").asInt());
        assertEquals(1, status.path("channels_up").asInt());
        JsonNode ch2 = status.path("channels").get(1);
        assertEquals("ch2", ch2.path("id").asText());
        assertEquals("stopped", ch2.path("state").asText());
        assertFalse(ch2.path("up").asBoolean());
        assertFalse(status.path("last_answer_at").isNull());
        assertTrue(status.path("last_poll_duration_ms").asLong() >= 0);
        assertTrue(status.path("last_error").isNull());
        assertFalse(status.path("stale").asBoolean());

        healthy.cpu = 81.25;
        Poll.until("the cache follows the server", WAIT, () -> status("enc-1").path("cpu").asDouble() == 81.25);
        healthy.cpu = 37.5;

        JsonNode history = Poll.value("a few points of history", WAIT, () -> api.get("/api/servers/enc-1/history").data(),
                h -> h.path("points").size() >= 3);
        JsonNode point = history.path("points").get(history.path("points").size() - 1);
        assertEquals("ok", point.path("state").asText());
        assertEquals(2, point.path("channels_total").asInt());
        assertEquals(0.2, history.path("poll_interval_seconds").asDouble());
    }

    @Test
    void listsEveryServerWithItsStatus() {
        statusWhen("enc-1", "ok");
        ApiResult list = api.get("/api/servers?history=true");
        assertEquals(200, list.status(), list.toString());
        JsonNode servers = list.data();
        List<String> ids = new ArrayList<>();
        servers.forEach(s -> ids.add(s.path("id").asText()));
        assertEquals(List.of("enc-1", "enc-500", "enc-hang", "enc-flap"), ids, "in file order");
        JsonNode first = servers.get(0);
        assertEquals("127.0.0.1", first.path("host").asText());
        assertEquals(healthy.port(), first.path("port").asInt());
        assertEquals("A3", first.path("extra").path("rack").asText(), "other fields of servers.json are shown");
        assertEquals("ok", first.path("status").path("state").asText());
        assertTrue(first.path("status").path("history").isArray());
        assertTrue(api.get("/api/servers").data().get(0).path("status").path("history").isMissingNode(),
                "no history unless asked for");

        ApiResult one = api.get("/api/servers/enc-1");
        assertEquals("Encoder 1", one.data().path("name").asText());
        assertTrue(one.data().path("status").path("history").isArray());
    }

    @Test
    void aServerAnswering500IsAnError() {
        JsonNode status = statusWhen("enc-500", "error");
        assertFalse(status.path("reachable").asBoolean());
        assertEquals("Answered HTTP 500 to GET /status (database locked).", status.path("last_error").asText());
        assertFalse(status.path("last_error_at").isNull());
        assertTrue(status.path("consecutive_failures").asInt() >= 1);
        assertTrue(status.path("last_answer_at").isNull(), "it never answered with a status");
    }

    @Test
    void aHangingServerTimesOutAndTheApiStaysFast() {
        JsonNode status = statusWhen("enc-hang", "timeout");
        assertEquals("No answer to GET /status within 0.5 s.", status.path("last_error").asText());
        long duration = status.path("last_poll_duration_ms").asLong();
        assertTrue(duration >= 400 && duration < 3_000, "bounded by POLL_TIMEOUT: " + duration);

        Poll.until("a poll of the hanging server is under way", WAIT, () -> hanging.inFlight() > 0);
        int before = healthy.statusRequests();
        for (int i = 0; i < 5; i++) {
            long started = System.nanoTime();
            ApiResult list = api.get("/api/servers");
            ApiResult one = api.get("/api/servers/enc-1/status");
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(200, list.status());
            assertEquals(200, one.status());
            assertTrue(millis < 1_000, "the API answers from the cache while a server hangs for 10 s: " + millis + " ms");
        }
        Poll.until("the healthy server is polled on while the other one hangs", WAIT,
                () -> healthy.statusRequests() >= before + 3);
    }

    @Test
    void unknownServersAre404() {
        for (ApiResult result : List.of(api.get("/api/servers/nope/status"), api.get("/api/servers/nope"),
                api.get("/api/servers/nope/history"), api.post("/api/servers/nope/channels/ch1/restart", null),
                api.put("/api/servers/nope", Map.of("name", "x")), api.delete("/api/servers/nope"))) {
            assertEquals(404, result.status(), result.toString());
            assertEquals("SERVER_NOT_FOUND", result.code());
            assertEquals("No media server with the id 'nope' is configured.", result.error());
        }
    }

    @Test
    void aRestartStopsThenStartsAndIsRecorded() {
        healthy.clearCalls();
        ApiResult result = api.post("/api/servers/enc-1/channels/ch2/restart", null);
        assertEquals(200, result.status(), result.toString());
        JsonNode record = result.data();
        assertTrue(record.path("success").asBoolean());
        assertEquals(200, record.path("stop_status").asInt());
        assertEquals(200, record.path("start_status").asInt());
        assertEquals("manual", record.path("trigger").asText());
        assertEquals(List.of("POST /channels/ch2/stop", "POST /channels/ch2/start"), healthy.controlCalls());

        Poll.until("the restarted channel runs", WAIT, () -> "running".equals(
                status("enc-1").path("channels").get(1).path("state").asText()));
        healthy.channel("ch2", "stopped");

        healthy.clearCalls();
        ApiResult odd = api.post("/api/servers/enc-1/channels/" + "cam%201%2Fa" + "/restart", null);
        assertEquals(200, odd.status(), odd.toString());
        assertEquals("cam 1/a", odd.data().path("channel_id").asText());
        assertEquals(List.of("POST /channels/cam%201%2Fa/stop", "POST /channels/cam%201%2Fa/start"), healthy.controlCalls(),
                "the channel id is one encoded path segment");

        ApiResult second = api.post("/api/servers/enc-1/channels/ch1/restart", null);
        assertEquals(200, second.status());
        JsonNode history = api.get("/api/servers/restarts?server=enc-1&limit=2").data();
        assertEquals(2, history.size());
        assertEquals("ch1", history.get(0).path("channel_id").asText(), "newest first");
        assertEquals("cam 1/a", history.get(1).path("channel_id").asText());
        assertEquals(second.data().path("id").asText(), history.get(0).path("id").asText());
        assertTrue(history.get(0).path("success").asBoolean());
        assertEquals("manual", history.get(0).path("trigger").asText());
        assertFalse(history.get(0).path("requested_by").asText().isEmpty());
        assertEquals("Encoder 1", history.get(0).path("server_name").asText());
    }

    @Test
    void aFailedStopIsA502AndNothingIsStarted() {
        broken.clearCalls();
        ApiResult result = api.post("/api/servers/enc-500/channels/ch1/restart", null);
        assertEquals(502, result.status(), result.toString());
        assertEquals("UPSTREAM_FAILED", result.code());
        assertEquals("Media server 'Broken encoder' (enc-500) answered 500 to stop channel 'ch1' (encoder busy); "
                + "it was not started again.", result.error());
        assertEquals(List.of("POST /channels/ch1/stop"), broken.controlCalls(), "a failed stop does not start");

        JsonNode recorded = api.get("/api/servers/restarts?server=enc-500&limit=1").data().get(0);
        assertFalse(recorded.path("success").asBoolean());
        assertEquals("stop", recorded.path("failed_step").asText());
        assertEquals(500, recorded.path("stop_status").asInt());
        assertTrue(recorded.path("start_status").isNull());
        assertEquals("UPSTREAM_FAILED", recorded.path("error_code").asText());
        assertEquals(result.error(), recorded.path("error").asText());
    }

    @Test
    void aFailedStartIsA502NamingTheStatus() {
        healthy.startCode = 503;
        try {
            healthy.clearCalls();
            ApiResult result = api.post("/api/servers/enc-1/channels/ch1/restart", null);
            assertEquals(502, result.status(), result.toString());
            assertEquals("UPSTREAM_FAILED", result.code());
            assertEquals("Media server 'Encoder 1' (enc-1) stopped channel 'ch1' but answered 503 to start it "
                    + "(encoder busy); the channel may be stopped now.", result.error());
            assertEquals(List.of("POST /channels/ch1/stop", "POST /channels/ch1/start"), healthy.controlCalls());
            JsonNode recorded = api.get("/api/servers/restarts?server=enc-1&limit=1").data().get(0);
            assertEquals("start", recorded.path("failed_step").asText());
            assertEquals(200, recorded.path("stop_status").asInt());
            assertEquals(503, recorded.path("start_status").asInt());
        } finally {
            healthy.startCode = 200;
            healthy.channel("ch1", "running");
        }
    }

    @Test
    void aHangingStopIsA504AndASecondRestartMeanwhileA409() {
        hanging.clearCalls();
        long started = System.nanoTime();
        CompletableFuture<ApiResult> first = CompletableFuture.supplyAsync(
                () -> api.post("/api/servers/enc-hang/channels/ch1/restart", null));
        Poll.until("the stop reached the server", WAIT, () -> !hanging.controlCalls().isEmpty());
        ApiResult second = api.post("/api/servers/enc-hang/channels/ch1/restart", null);
        assertEquals(409, second.status(), second.toString());
        assertEquals("RESTART_IN_PROGRESS", second.code());
        assertEquals("Channel 'ch1' of media server 'Hanging encoder' (enc-hang) is being restarted already; wait for "
                + "that to finish.", second.error());

        ApiResult result = first.join();
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(504, result.status(), result.toString());
        assertEquals("UPSTREAM_TIMEOUT", result.code());
        assertEquals("Media server 'Hanging encoder' (enc-hang) did not answer the stop of channel 'ch1' within 1 s; "
                + "the start was not sent.", result.error());
        assertTrue(millis < 5_000, "bounded by RESTART_TIMEOUT: " + millis + " ms");
        assertEquals(List.of("POST /channels/ch1/stop"), hanging.controlCalls());
        assertEquals("UPSTREAM_TIMEOUT", api.get("/api/servers/restarts?server=enc-hang&limit=1").data().get(0)
                .path("error_code").asText());
    }

    @Test
    void aServerThatGoesDownAndComesBack() {
        statusWhen("enc-flap", "ok");
        flapping.stop();
        JsonNode down = statusWhen("enc-flap", "unreachable");
        assertTrue(down.path("last_error").asText().startsWith("Could not reach 127.0.0.1:" + flapping.port() + " ("),
                down.path("last_error").asText());
        assertTrue(down.path("stale").asBoolean(), "the channels shown are the last known ones");
        assertEquals("live", down.path("channels").get(0).path("id").asText());

        ApiResult restart = api.post("/api/servers/enc-flap/channels/live/restart", null);
        assertEquals(502, restart.status(), restart.toString());
        assertEquals("UPSTREAM_UNREACHABLE", restart.code());
        assertTrue(restart.error().startsWith("Media server 'Flapping encoder' (enc-flap) at 127.0.0.1:" + flapping.port()
                + " could not be reached to stop channel 'live' ("), restart.error());

        flapping.restart();
        JsonNode up = statusWhen("enc-flap", "ok");
        assertEquals(0, up.path("consecutive_failures").asInt());
        assertFalse(up.path("stale").asBoolean());
        assertTrue(up.path("last_error").asText().startsWith("Could not reach"), "the last error is kept");
    }

    @Test
    void serversAreAddedChangedAndRemovedAndTheFileFollows() throws IOException {
        try (FakeMediaServer extra = new FakeMediaServer().channel("a", "running").start()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", "enc-new");
            body.put("name", "New encoder");
            body.put("host", "127.0.0.1");
            body.put("port", extra.port());
            body.put("location", "Room 12");
            ApiResult added = api.post("/api/servers", body);
            assertEquals(201, added.status(), added.toString());
            assertEquals("enc-new", added.data().path("id").asText());
            assertEquals("pending", added.data().path("status").path("state").asText());
            JsonNode file = MAPPER.readTree(serversFile.toFile());
            assertEquals(5, file.size());
            assertEquals("Room 12", file.get(4).path("location").asText());
            assertEquals("A3", file.get(0).path("rack").asText(), "the other entries keep their fields");
            statusWhen("enc-new", "ok");

            ApiResult duplicate = api.post("/api/servers", body);
            assertEquals(409, duplicate.status());
            assertEquals("SERVER_EXISTS", duplicate.code());
            assertEquals("A media server with the id 'enc-new' already exists.", duplicate.error());

            ApiResult badPort = api.post("/api/servers", Map.of("id", "x", "host", "127.0.0.1", "port", 70000));
            assertEquals(400, badPort.status());
            assertEquals("INVALID_REQUEST", badPort.code());
            assertEquals("\"port\" must be a whole number between 1 and 65535, not 70000.", badPort.error());
            ApiResult badId = api.post("/api/servers", Map.of("id", "no spaces", "host", "127.0.0.1", "port", 80));
            assertEquals(400, badId.status());
            assertTrue(badId.error().startsWith("The server id 'no spaces' is not valid"), badId.error());
            ApiResult badHost = api.post("/api/servers", Map.of("id", "x", "host", "http://10.0.0.1:80", "port", 80));
            assertEquals(400, badHost.status());
            assertTrue(badHost.error().contains("without http://"), badHost.error());
            assertEquals(400, api.post("/api/servers", "{not json").status());

            ApiResult renamed = api.put("/api/servers/enc-new", Map.of("name", "Renamed encoder"));
            assertEquals(200, renamed.status(), renamed.toString());
            assertEquals("Renamed encoder", renamed.data().path("name").asText());
            assertEquals(extra.port(), renamed.data().path("port").asInt(), "fields not given keep their value");
            assertEquals("ok", renamed.data().path("status").path("state").asText(), "same endpoint: the status stays");
            JsonNode changed = MAPPER.readTree(serversFile.toFile()).get(4);
            assertEquals("Renamed encoder", changed.path("name").asText());
            assertEquals("Room 12", changed.path("location").asText());
            ApiResult badChange = api.put("/api/servers/enc-new", Map.of("port", "eighty"));
            assertEquals(400, badChange.status());

            ApiResult removed = api.delete("/api/servers/enc-new");
            assertEquals(200, removed.status(), removed.toString());
            assertTrue(removed.data().path("removed").asBoolean());
            assertEquals(404, api.get("/api/servers/enc-new/status").status());
            assertEquals(4, MAPPER.readTree(serversFile.toFile()).size());
        }
    }

    @Test
    void aMalformedFileKeepsTheListAndRefusesChangesUntilFixed() throws IOException {
        statusWhen("enc-1", "ok");
        String garbage = "[{\"id\":\"enc-1\", oops";
        try {
            Files.writeString(serversFile, garbage);
            JsonNode config = Poll.value("the file is found unreadable", WAIT, () -> api.get("/api/servers/config").data(),
                    c -> "unreadable".equals(c.path("servers_file").path("state").asText()));
            assertFalse(config.path("servers_file").path("error").asText().isEmpty());
            assertEquals(4, api.get("/api/servers").data().size(), "the last good list is kept");

            ApiResult refused = api.post("/api/servers", Map.of("id", "x", "host", "127.0.0.1", "port", 80));
            assertEquals(409, refused.status(), refused.toString());
            assertEquals("SERVERS_FILE_UNREADABLE", refused.code());
            assertTrue(refused.error().startsWith("The servers file servers.json cannot be read ("), refused.error());
            assertEquals(409, api.delete("/api/servers/enc-1").status());
            assertEquals(garbage, Files.readString(serversFile), "the file was not overwritten");
        } finally {
            writeServers(standardServers());
        }
        Poll.until("the fixed file is read again", WAIT, () -> "ok".equals(
                api.get("/api/servers/config").data().path("servers_file").path("state").asText()));

        List<Map<String, Object>> more = standardServers();
        Map<String, Object> byHand = new LinkedHashMap<>();
        byHand.put("id", 7);
        byHand.put("host", "127.0.0.1");
        byHand.put("port", healthy.port());
        more.add(byHand);
        try {
            writeServers(more);
            JsonNode added = Poll.value("an entry added by hand appears", WAIT, () -> api.get("/api/servers/7/status"),
                    r -> r.status() == 200 && "ok".equals(r.data().path("state").asText())).data();
            assertEquals("7", added.path("name").asText());
        } finally {
            writeServers(standardServers());
        }
        Poll.until("the entry removed by hand disappears", WAIT, () -> api.get("/api/servers/7/status").status() == 404);
    }

    @Test
    void theWatchdogIsOffByDefault() {
        statusWhen("enc-1", "ok");
        JsonNode watchdog = api.get("/api/servers/watchdog").data();
        assertFalse(watchdog.path("enabled").asBoolean());
        assertEquals(3, watchdog.path("down_polls").asInt());
        assertEquals(3, watchdog.path("max_restarts_per_hour").asInt());
        assertEquals(0, api.get("/api/servers/restarts?trigger=watchdog").data().size(),
                "ch2 of enc-1 reports stopped, but nothing restarts it");
    }

    @Test
    void badQueriesAre400AndChangesNeedTheAdminRole() {
        ApiResult limit = api.get("/api/servers/restarts?limit=0");
        assertEquals(400, limit.status());
        assertEquals("The query parameter 'limit' must be a whole number from 1 to 500.", limit.error());
        assertEquals(400, api.get("/api/servers/restarts?trigger=robot").status());
        assertEquals(401, api.anonymous().get("/api/servers").status());
        assertEquals(401, api.anonymous().post("/api/servers/enc-1/channels/ch1/restart", null).status());
    }

    @Test
    void thePanelAndTheOpenApiDocument() {
        ApiResult panel = api.get("/plugins/cluster-monitor/panel.js");
        assertEquals(200, panel.status());
        assertTrue(panel.text().contains("customElements.define(TAG"));
        assertTrue(panel.text().contains("from '/ui/kit.js'"), "the core's UI kit for the API, language and events");
        assertEquals(1, panel.text().split("\\bimport ", -1).length - 1,
                "one import, the core's kit on the same server: the panel works offline");
        assertFalse(panel.text().contains("fetch(") || panel.text().contains("sessionStorage"), "no copy of the kit's API call");

        JsonNode openApi = api.get("/openapi.json").json();
        assertNotNull(openApi);
        JsonNode paths = openApi.path("paths");
        for (String path : List.of("/api/servers", "/api/servers/{id}/status", "/api/servers/{id}/channels/{channel_id}/restart",
                "/api/servers/restarts", "/api/servers/watchdog")) {
            assertFalse(paths.path(path).isMissingNode(), path + " is documented");
        }
        JsonNode plugins = api.get("/api/plugins").data();
        JsonNode ours = null;
        for (JsonNode plugin : plugins) {
            if ("cluster-monitor".equals(plugin.path("id").asText())) {
                ours = plugin;
            }
        }
        assertNotNull(ours);
        assertEquals("started", ours.path("state").asText(), ours.toString());
        assertNull(ours.path("error").textValue());
    }
}
