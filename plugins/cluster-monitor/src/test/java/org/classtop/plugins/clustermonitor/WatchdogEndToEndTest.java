package org.classtop.plugins.clustermonitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.classtop.testing.ApiClient;
import org.classtop.testing.Poll;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The watchdog switched on (2 down polls, at most 2 restarts per channel and hour): it restarts a channel
 * that stays down through the normal stop-then-start, stops at the cap, and leaves a channel alone once a
 * restart brought it back.
 */
class WatchdogEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static FakeMediaServer stuck;
    private static FakeMediaServer recovering;
    private static Path data;
    private static TestServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() throws IOException {
        stuck = new FakeMediaServer().channel("ch1", "error").channel("ch2", "running").channel("ch3", null).start();
        stuck.startFixesChannel = false;
        recovering = new FakeMediaServer().channel("cam", "stopped").start();
        data = Files.createTempDirectory("cluster-monitor-watchdog-");
        Files.write(data.resolve("servers.json"), new ObjectMapper().writeValueAsBytes(List.of(
                stuck.entry("stuck", "Stuck encoder"), recovering.entry("recovering", "Recovering encoder"))));
        server = TestServer.builder()
                .dataDir(data)
                .pluginConfig("cluster-monitor.POLL_INTERVAL", "0.1")
                .pluginConfig("cluster-monitor.POLL_TIMEOUT", "0.5")
                .pluginConfig("cluster-monitor.RESTART_TIMEOUT", "1")
                .pluginConfig("cluster-monitor.WATCHDOG_ENABLED", "true")
                .pluginConfig("cluster-monitor.WATCHDOG_DOWN_POLLS", "2")
                .pluginConfig("cluster-monitor.WATCHDOG_MAX_RESTARTS_PER_HOUR", "2")
                .plugin("cluster-monitor", new ClusterMonitorServerPlugin())
                .start();
        api = server.api();
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        stuck.close();
        recovering.close();
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void restartsAStuckChannelUpToTheCapAndThenLeavesItAlone() {
        Poll.until("two watchdog restarts of ch1", WAIT, () -> api.get("/api/servers/restarts?server=stuck&trigger=watchdog")
                .data().size() >= 2);
        int pollsAtCap = stuck.statusRequests();
        Poll.until("ten more polls of the stuck server", WAIT, () -> stuck.statusRequests() >= pollsAtCap + 10);

        assertEquals(List.of("POST /channels/ch1/stop", "POST /channels/ch1/start",
                        "POST /channels/ch1/stop", "POST /channels/ch1/start"), stuck.controlCalls(),
                "stop then start, twice, then never again within the hour; ch2 (running) and ch3 (no state) untouched");

        JsonNode history = api.get("/api/servers/restarts?server=stuck").data();
        assertEquals(2, history.size());
        for (JsonNode record : history) {
            assertEquals("watchdog", record.path("trigger").asText());
            assertEquals("watchdog", record.path("requested_by").asText());
            assertEquals("ch1", record.path("channel_id").asText());
            assertTrue(record.path("success").asBoolean(), record.toString());
        }

        JsonNode watchdog = api.get("/api/servers/watchdog").data();
        assertTrue(watchdog.path("enabled").asBoolean());
        assertEquals(2, watchdog.path("down_polls").asInt());
        assertEquals(2, watchdog.path("max_restarts_per_hour").asInt());
        JsonNode ch1 = null;
        for (JsonNode channel : watchdog.path("channels")) {
            if (channel.path("server_id").asText().equals("stuck") && channel.path("channel_id").asText().equals("ch1")) {
                ch1 = channel;
            }
        }
        assertTrue(ch1 != null, watchdog.toString());
        assertEquals(2, ch1.path("restarts_this_hour").asInt());
        assertFalse(ch1.path("next_restart_allowed_at").isNull(), "capped until an hour after the first restart");
        assertTrue(ch1.path("consecutive_down_polls").asInt() >= 2, "still counted while capped");

        // A person can still restart it: the cap is the watchdog's only.
        assertEquals(200, api.post("/api/servers/stuck/channels/ch1/restart", null).status());
    }

    @Test
    void aChannelThatComesBackIsRestartedOnce() {
        Poll.until("the recovering channel runs again", WAIT, () -> "running".equals(api.get("/api/servers/recovering/status")
                .data().path("channels").get(0).path("state").asText()));
        int polls = recovering.statusRequests();
        Poll.until("five more polls", WAIT, () -> recovering.statusRequests() >= polls + 5);
        assertEquals(List.of("POST /channels/cam/stop", "POST /channels/cam/start"), recovering.controlCalls());
        assertEquals(1, api.get("/api/servers/restarts?server=recovering&trigger=watchdog").data().size());
    }
}
