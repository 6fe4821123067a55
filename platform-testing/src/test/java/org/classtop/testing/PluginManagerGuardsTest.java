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

    @Test
    void anUploadThatUnpacksTooLargeOrListsTooManyExtensionsIsRefused() throws Exception {
        String big = "0".repeat(300 * 1024);   // compresses to a few KiB; declared 300 KiB > 256 KiB
        ApiResult entryTooLarge = api.sendBytes("POST", "/api/plugins", JAR, hello("1.0.0").resource("big.txt", big).bytes(work));
        assertRefused(entryTooLarge, 400, "JAR_TOO_LARGE");
        assertTrue(entryTooLarge.error().startsWith("The jar's entry 'big.txt' unpacks to 307200 bytes"), entryTooLarge.error());

        PluginJar bomb = hello("1.0.0");
        String part = "0".repeat(250 * 1024);
        for (int i = 0; i < 5; i++) {
            bomb.resource("part-" + i + ".txt", part);
        }
        ApiResult tooMuch = api.sendBytes("POST", "/api/plugins", JAR, bomb.bytes(work));
        assertRefused(tooMuch, 400, "JAR_TOO_LARGE");
        assertEquals("The jar unpacks to more than 4 times --plugin-max-bytes (1048576 bytes).", tooMuch.error());

        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Plugin-Id", "hello");
        manifest.getMainAttributes().putValue("Plugin-Version", "1.0.0");
        try (java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(bytes, manifest)) {
            jar.putNextEntry(new java.util.jar.JarEntry("META-INF/extensions.idx"));
            jar.write(("org.example.Side\n").repeat(4000).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        ApiResult longIndex = api.sendBytes("POST", "/api/plugins", JAR, bytes.toByteArray());
        assertRefused(longIndex, 400, "EXTENSIONS_TOO_LARGE");
        assertEquals("The jar's META-INF/extensions.idx is larger than 64 KiB.", longIndex.error());
        assertEquals(null, entryOf("hello"), "nothing installed");
    }

    @Test
    void anUploadCutShortIsDeletedAtTheNextStart() throws Exception {
        Path folder = java.nio.file.Files.createDirectories(server.dataDir().resolve("plugin-jars"));
        Path leftover = java.nio.file.Files.writeString(folder.resolve(".upload-1234.part"), "half a jar");
        server.restart();
        api = server.api();
        assertFalse(java.nio.file.Files.exists(leftover), "the unfinished upload is gone");
    }

    @Test
    void aJarDeletedUnderARequestCountsAsAbsentNotAsAServerError() throws Exception {
        assertEquals(201, api.sendBytes("POST", "/api/plugins", JAR, hello("1.0.0").bytes(work)).status());
        assertEquals(200, api.get("/api/plugins/hello/agent-jar").status());
        // what a remove or an upgrade racing these requests does: the jar file goes before the record
        java.nio.file.Files.delete(server.dataDir().resolve("plugin-jars/hello-1.0.0.jar"));
        ApiResult listed = api.get("/api/plugins");
        assertEquals(200, listed.status(), listed.toString());
        assertTrue(entryOf("hello").path("agent_side").isNull(), entryOf("hello").toString());
        ApiResult download = api.get("/api/plugins/hello/agent-jar");
        assertRefused(download, 404, "NO_AGENT_SIDE");
    }

    @Test
    void anUnpackedPluginFolderIsBundledItsDisableLastsAndRemovingLeavesTheFolderOff() throws Exception {
        server.close();
        Path bundled = java.nio.file.Files.createDirectories(work.resolve("bundled"));
        Path classes = java.nio.file.Files.createDirectories(bundled.resolve("hello/classes"));
        try (java.util.zip.ZipInputStream jar = new java.util.zip.ZipInputStream(
                new java.io.ByteArrayInputStream(hello("1.0.0").bytes(work)))) {
            for (java.util.zip.ZipEntry entry; (entry = jar.getNextEntry()) != null; ) {
                if (!entry.isDirectory()) {
                    Path file = classes.resolve(entry.getName());
                    java.nio.file.Files.createDirectories(file.getParent());
                    java.nio.file.Files.write(file, jar.readAllBytes());
                }
            }
        }
        server = TestServer.builder().pluginsDir(bundled).start();
        api = server.api();
        JsonNode folder = entryOf("hello");
        assertEquals("started", folder.path("state").asText(), String.valueOf(folder));
        assertTrue(folder.path("bundled").asBoolean() && folder.path("removable").asBoolean(), folder.toString());

        assertEquals(200, api.post("/api/plugins/hello/disable", null).status());
        server.restart();
        api = server.api();
        assertEquals("disabled", entryOf("hello").path("state").asText(), "the disable lasts");
        assertEquals(200, api.post("/api/plugins/hello/enable", null).status());
        assertEquals("started", entryOf("hello").path("state").asText());

        assertEquals(200, api.delete("/api/plugins/hello").status());
        assertTrue(java.nio.file.Files.isDirectory(bundled.resolve("hello")), "the bundled folder stays");
        server.restart();
        api = server.api();
        assertEquals(null, entryOf("hello"), "a removed bundled folder stays off");
    }
}
