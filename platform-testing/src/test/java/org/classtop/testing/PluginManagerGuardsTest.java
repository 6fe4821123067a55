package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.classtop.testing.pluginjars.HelloAgent;
import org.classtop.testing.pluginjars.HelloPlugin;
import org.classtop.testing.pluginjars.PluginJar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin manager's guards: built-in plugins stay, roles and tokens, bounded uploads. */
class PluginManagerGuardsTest {
    private static final String JAR = "application/java-archive";

    @TempDir
    Path work;

    private TestServer server;
    private ApiClient api;

    @BeforeEach
    void start() {
        server = TestServer.builder().serverConfig(c -> c.pluginMaxBytes(256 * 1024)).start();
        api = server.api();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static PluginJar hello(String version) {
        return new PluginJar("hello", version).extension(HelloPlugin.class).extension(HelloAgent.class)
                .resource("static/hello/panel.js", "customElements.define('classtop-hello-main', class extends HTMLElement {});")
                .resource("db/hello/common/V1__rows.sql", "CREATE TABLE hello_rows (note VARCHAR(20));\n");
    }

    private static void assertRefused(ApiResult result, int status, String code) {
        assertEquals(status, result.status(), result.toString());
        assertEquals(code, result.code(), result.toString());
        assertTrue(result.error().endsWith("."), "one sentence: " + result);
    }

    @Test
    void aBuiltInPluginCannotBeDisabledEnabledOrRemovedAndTheApiStaysUp() {
        String builtIn = "core";
        assertRefused(api.post("/api/plugins/" + builtIn + "/disable", null), 409, "BUILT_IN");
        assertRefused(api.post("/api/plugins/" + builtIn + "/enable", null), 409, "BUILT_IN");
        assertRefused(api.delete("/api/plugins/" + builtIn), 409, "BUILT_IN");
        assertEquals("Plugin '" + builtIn + "' is built into this server and cannot be disabled.",
                api.post("/api/plugins/" + builtIn + "/disable", null).error());
        ApiResult listed = api.get("/api/plugins");
        assertEquals(200, listed.status(), "the REST API still answers: " + listed);
        JsonNode core = null;
        for (JsonNode plugin : listed.data()) {
            core = builtIn.equals(plugin.path("id").asText()) ? plugin : core;
        }
        assertEquals("started", core.path("state").asText(), listed.toString());
    }

    @Test
    void anUploadHoldingAPluginPropertiesIsRefusedSoWhatIsCheckedIsWhatLoads() throws Exception {
        ApiResult refused = api.sendBytes("POST", "/api/plugins", JAR,
                hello("1.0.0").resource("plugin.properties", "plugin.id=other\nplugin.version=9.0.0\n").bytes(work));
        assertRefused(refused, 400, "PLUGIN_PROPERTIES");
        assertEquals(null, entryOf("hello"));
    }

    private JsonNode entryOf(String id) {
        for (JsonNode plugin : api.get("/api/plugins").data()) {
            if (id.equals(plugin.path("id").asText())) {
                return plugin;
            }
        }
        return null;
    }
}
