package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.classtop.agent.AgentConfig;
import org.classtop.agent.AgentRuntime;
import org.classtop.testing.pluginjars.HelloAgent;
import org.classtop.testing.pluginjars.HelloPlugin;
import org.classtop.testing.pluginjars.PluginJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent runtime (with an empty plugins folder) follows a real server's plugin manager: an uploaded
 * plugin reaches it, an upgrade replaces it, disable and remove stop it, enable brings it back; no restart.
 */
class AgentFollowsPluginsTest {
    private static final String JAR = "application/java-archive";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path work;

    private static PluginJar hello(String version) {
        return new PluginJar("hello", version).extension(HelloPlugin.class).extension(HelloAgent.class)
                .resource("static/hello/panel.js", "customElements.define('classtop-hello-main', class extends HTMLElement {});")
                .resource("db/hello/common/V1__rows.sql", "CREATE TABLE hello_rows (note VARCHAR(20));\n");
    }

    private static JsonNode agentsOf(ApiClient api, String id) {
        for (JsonNode plugin : api.get("/api/plugins").data()) {
            if (id.equals(plugin.path("id").asText())) {
                return plugin.path("agents");
            }
        }
        return null;
    }

    private static boolean agentsRun(ApiClient api, String version, String state) {
        JsonNode agents = agentsOf(api, "hello");
        return agents != null && agents.size() == 1 && version.equals(agents.get(0).path("version").asText())
                && state.equals(agents.get(0).path("state").asText()) && agents.get(0).path("count").asInt() == 1;
    }

    private static ApiResult ping(ApiClient api, String uuid) {
        return api.post("/api/clients/" + uuid + "/command", Map.of("command", "hello_ping", "params", Map.of()));
    }

    @Test
    void anUploadedPluginReachesARunningAgentAndLeavesItOnDisableAndRemove() throws Exception {
        try (TestServer server = TestServer.builder().start()) {
            ApiClient api = server.api();
            Path emptyPlugins = Files.createDirectories(work.resolve("agent-plugins"));
            AgentConfig config = AgentConfig.builder(URI.create(server.baseUrl())).dataDir(work.resolve("agent-data"))
                    .pluginsDir(emptyPlugins).heartbeat(Duration.ofSeconds(5)).build();
            try (AgentRuntime agent = AgentRuntime.builder(config).build()) {
                agent.start();
                agent.firstRegistration().get(10, TimeUnit.SECONDS);
                String uuid = agent.clientUuid();
                assertEquals(List.of(), agent.commands());

                ApiResult installed = api.sendBytes("POST", "/api/plugins", JAR, hello("1.0.0").bytes(work));
                assertEquals(201, installed.status(), installed.toString());
                Poll.until("hello_ping answers on the agent", WAIT, () -> ping(api, uuid).status() == 200);
                assertTrue(ping(api, uuid).data().path("pong").asBoolean(), ping(api, uuid).toString());
                Poll.until("the server counts the agent on hello 1.0.0", WAIT, () -> agentsRun(api, "1.0.0", "started"));

                ApiResult upgraded = api.sendBytes("POST", "/api/plugins", JAR, hello("2.0.0").bytes(work));
                assertEquals(200, upgraded.status(), upgraded.toString());
                Poll.until("the agent runs hello 2.0.0", WAIT, () -> agentsRun(api, "2.0.0", "started"));
                assertEquals(200, ping(api, uuid).status());

                assertEquals(200, api.post("/api/plugins/hello/disable", Map.of()).status());
                Poll.until("the agent stops hello", WAIT, () -> !agent.commands().contains("hello_ping"));
                ApiResult unknown = ping(api, uuid);
                assertEquals(502, unknown.status(), unknown.toString());
                assertEquals("Unknown command 'hello_ping': this agent does not provide it.", unknown.error());
                Poll.until("the server sees hello disabled on the agent", WAIT, () -> agentsRun(api, "2.0.0", "disabled"));

                assertEquals(200, api.post("/api/plugins/hello/enable", Map.of()).status());
                Poll.until("hello_ping answers again", WAIT, () -> ping(api, uuid).status() == 200);

                ApiResult removed = api.delete("/api/plugins/hello");
                assertEquals(200, removed.status(), removed.toString());
                Poll.until("the agent stops the removed plugin", WAIT, () -> !agent.commands().contains("hello_ping"));
                assertEquals("disabled", agent.pluginsState().stream().filter(p -> "hello".equals(p.get("id")))
                        .findFirst().orElseThrow().get("state"));
            }
        }
    }
}
