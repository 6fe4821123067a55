package org.classtop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.classtop.testing.ApiResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every bundled plugin jar of dist/plugins loads through PF4J in the real server and answers its routes. */
class BundledPluginsIT {
    @TempDir
    Path work;

    @RegisterExtension
    final StartedResources started = new StartedResources();

    @Test
    void everyBundledPluginStartsFromItsJar() {
        LmsServer server = started.track(LmsServer.start(work, LmsServer.randomToken(), work.resolve("data"), 0));
        Map<String, JsonNode> plugins = new HashMap<>();
        for (JsonNode plugin : server.api().get("/api/plugins").data()) {
            plugins.put(plugin.path("id").asText(), plugin);
        }
        for (String id : new String[]{"settings", "cluster-monitor", "video-sources"}) {
            JsonNode plugin = plugins.get(id);
            assertTrue(plugin != null, "plugin " + id + " is listed: " + plugins.keySet());
            assertEquals("started", plugin.path("state").asText(), plugin.toString());
            assertTrue(plugin.path("source").asText().endsWith(".jar"), "loaded from its jar: " + plugin);
            assertTrue(plugin.path("routes").size() > 0, plugin.toString());
        }
        assertTrue(plugins.get("settings").path("commands").toString().contains("get_all_settings"));

        ApiResult servers = server.api().get("/api/servers");
        assertEquals(200, servers.status(), servers.toString());
        assertTrue(servers.data().isArray());
        ApiResult unknown = server.api().get("/api/servers/nope/status");
        assertEquals(404, unknown.status(), unknown.toString());

        ApiResult noSource = server.api().get("/api/video/nope/latest-frame");
        assertEquals(404, noSource.status(), noSource.toString());
        assertTrue(plugins.get("video-sources").toString().contains("org.classtop.api.video.VideoSources"),
                "video-sources exports its service: " + plugins.get("video-sources"));

        JsonNode paths = server.api().get("/openapi.json").json().path("paths");
        assertTrue(paths.has("/api/settings/{uuid}") && paths.has("/api/servers/{id}/channels/{channel_id}/restart"),
                "OpenAPI describes the plugins' routes");
        JsonNode panels = server.api().get("/api/ui/panels").data();
        assertTrue(panels.toString().contains("classtop-settings-panel") && panels.toString().contains("classtop-cluster-monitor")
                && panels.toString().contains("classtop-video-sources"));
    }
}
