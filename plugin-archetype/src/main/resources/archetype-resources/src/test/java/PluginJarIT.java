package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.classtop.testing.RealAgent;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * The built jar (mvn verify runs this after package), installed as an admin installs it: uploaded to a running
 * server, which loads it through PF4J; a connected agent downloads its agent side from the server and loads it
 * too. Neither restarts.
 */
class PluginJarIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void anUploadedJarRunsOnTheServerAndReachesAConnectedAgent() throws IOException {
        Path jar = Path.of(System.getProperty("plugin.jar"));
        try (TestServer server = TestServer.builder().start();
             RealAgent pc = server.realAgent("pc-1").start()) {
            assertEquals(List.of(), pc.commands(), "the agent starts without the plugin");

            ApiResult installed = server.api().sendBytes("POST", "/api/plugins", "application/java-archive",
                    Files.readAllBytes(jar));
            assertEquals(201, installed.status(), installed.toString());
            assertEquals("started", installed.data().path("state").asText(), installed.toString());

            Poll.until("the agent to load the agent side it downloaded", WAIT, () -> pc.commands().contains(ServerSide.GREET));
            Poll.until("the server to see the agent run it", WAIT, () -> {
                JsonNode agents = entry(server).path("agents");
                return agents.size() == 1 && "started".equals(agents.path(0).path("state").asText());
            });
            ApiResult greeted = server.api().post("/api/${pluginId}/pc-1/greet", Map.of("text", "Hello"));
            assertEquals(200, greeted.status(), greeted.toString());
            assertEquals("Hello from pc-1", greeted.data().path("said").asText());
        }
    }

    private static JsonNode entry(TestServer server) {
        for (JsonNode plugin : server.api().get("/api/plugins").data()) {
            if (plugin.path("id").asText().equals("${pluginId}")) {
                return plugin;
            }
        }
        throw new AssertionError("GET /api/plugins does not list ${pluginId}");
    }
}
