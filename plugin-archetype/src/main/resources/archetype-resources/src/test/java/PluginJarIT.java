package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.classtop.testing.ApiResult;
import org.classtop.testing.RealAgent;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar (mvn verify: after package), loaded through PF4J as an installed plugin is: by the server from
 * its plugins folder and by a real agent from its own. Checks the MANIFEST and extensions.idx the build wrote.
 */
class PluginJarIT {
    @TempDir
    Path plugins;

    @Test
    void theJarLoadsOnTheServerAndOnAnAgent() throws IOException {
        Path jar = Path.of(System.getProperty("plugin.jar"));
        Files.copy(jar, plugins.resolve(jar.getFileName()));
        try (TestServer server = TestServer.builder().pluginsDir(plugins).start();
             RealAgent pc = server.realAgent("pc-1").pluginsDir(plugins).start()) {
            assertEquals(List.of(ServerSide.GREET), pc.commands(), "the agent loaded the jar's agent side");
            JsonNode plugin = null;
            for (JsonNode entry : server.api().get("/api/plugins").data()) {
                if (entry.path("id").asText().equals("${pluginId}")) {
                    plugin = entry;
                }
            }
            assertEquals("started", plugin == null ? "not listed" : plugin.path("state").asText(), String.valueOf(plugin));
            assertEquals(jar.getFileName().toString(), plugin.path("source").asText());
            ApiResult greeted = server.api().post("/api/${pluginId}/pc-1/greet", Map.of("text", "Hello"));
            assertEquals(200, greeted.status(), greeted.toString());
            assertEquals("Hello from pc-1", greeted.data().path("said").asText());
        }
    }
}
