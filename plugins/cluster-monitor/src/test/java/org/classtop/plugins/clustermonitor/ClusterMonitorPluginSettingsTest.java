package org.classtop.plugins.clustermonitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.classtop.testing.ApiResult;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster monitor's settings on the Plugins page: listed, checked, and in effect after the change restarts it. */
class ClusterMonitorPluginSettingsTest {
    @Test
    void anAdminChangesThePollAndWatchdogSettingsAndTheyTakeEffect(@TempDir Path data) throws Exception {
        Files.writeString(data.resolve("servers.json"), "[]");
        try (TestServer server = TestServer.builder().dataDir(data)
                .plugin("cluster-monitor", new ClusterMonitorServerPlugin()).start()) {
            ApiResult listed = server.api().get("/api/plugins/cluster-monitor/settings");
            assertEquals(200, listed.status(), listed.toString());
            JsonNode settings = listed.data().path("settings");
            assertEquals(11, settings.size(), settings.toString());
            assertEquals("POLL_INTERVAL", settings.get(0).path("name").asText());
            assertEquals("duration", settings.get(0).path("type").asText());
            assertEquals("5", settings.get(0).path("value").asText());

            JsonNode before = server.api().get("/api/servers/config").data();
            assertEquals(3, before.path("poll_timeout_seconds").asInt());
            assertEquals(false, before.path("watchdog").path("enabled").asBoolean());

            ApiResult bad = server.api().put("/api/plugins/cluster-monitor/settings",
                    Map.of("values", Map.of("POLL_CONCURRENCY", "lots")));
            assertEquals(400, bad.status());
            assertEquals("Setting 'POLL_CONCURRENCY' must be a whole number between -2147483648 and 2147483647, e.g. 30;"
                    + " 'lots' is not.", bad.error());

            ApiResult changed = server.api().put("/api/plugins/cluster-monitor/settings",
                    Map.of("values", Map.of("POLL_TIMEOUT", "750ms", "WATCHDOG_ENABLED", true, "WATCHDOG_DOWN_POLLS", 5)));
            assertEquals(200, changed.status(), changed.toString());
            assertEquals("reloaded", changed.data().path("applied").asText());

            JsonNode after = server.api().get("/api/servers/config").data();
            assertEquals(0.75, after.path("poll_timeout_seconds").asDouble(), after.toString());
            assertEquals(true, after.path("watchdog").path("enabled").asBoolean(), after.toString());
            assertEquals(5, after.path("watchdog").path("down_polls").asInt());
            JsonNode plugin = null;
            for (JsonNode p : server.api().get("/api/plugins").data()) {
                if (p.path("id").asText().equals("cluster-monitor")) {
                    plugin = p;
                }
            }
            assertEquals("started", plugin.path("state").asText(), plugin.toString());
        }
    }
}
