package org.classtop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.FakeAgent;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A school's plugin folder with the real settings jar, a broken plugin and a jar that is no plugin at all:
 * the server starts, settings works, the broken one is logged by name and skipped (README, Plugins);
 * {@code disabled.txt} switches a plugin off.
 */
class PluginLoadingIT {
    private static final List<String> SETTINGS_ROUTES = List.of("GET /api/settings/{uuid}", "GET /api/settings/{uuid}/{key}",
            "PUT /api/settings/{uuid}/{key}", "POST /api/settings/{uuid}/batch", "POST /api/settings/batch");
    /** SPEC section 5. */
    private static final List<String> SETTINGS_COMMANDS = List.of("get_all_settings", "get_setting", "set_setting",
            "update_settings_batch", "refresh_state");
    /** Named in the broken plugin's extensions.idx, and in no jar. */
    private static final String MISSING_CLASS = "org.classtop.it.ghost.MissingServerSide";

    @TempDir
    Path work;

    @RegisterExtension
    final StartedResources started = new StartedResources();

    private <T extends AutoCloseable> T track(T resource) {
        return started.track(resource);
    }

    @Test
    void brokenJarsAreSkippedAndSettingsStarts() throws IOException {
        Path plugins = pluginFolder();
        LmsServer server = track(LmsServer.start(work, LmsServer.randomToken(), work.resolve("server-data"), 0,
                "--enrollment", "open", "--plugins", plugins.toString()));
        ApiClient api = server.api();

        ApiResult list = api.get("/api/plugins");
        assertEquals(200, list.status(), "GET /api/plugins: " + list);
        JsonNode settings = plugin(list, "settings");
        assertNotNull(settings, "GET /api/plugins lists settings: " + list);
        assertEquals("started", settings.path("state").asText(), "settings: " + settings);
        assertTrue(settings.path("error").isNull() || settings.path("error").isMissingNode(), "settings: " + settings);
        assertTrue(texts(settings.path("routes")).containsAll(SETTINGS_ROUTES), "settings routes: " + settings);
        List<String> commands = new ArrayList<>();
        settings.path("commands").forEach(c -> commands.add(c.path("name").asText()));
        assertTrue(commands.containsAll(SETTINGS_COMMANDS), "settings agent commands: " + settings);
        for (JsonNode p : list.data()) {
            assertFalse("not-a-plugin.jar".equals(p.path("source").asText()) && "started".equals(p.path("state").asText()),
                    "a jar without a PF4J descriptor is not a started plugin: " + p);
        }

        // The settings routes answer (the agent side is a fake PC).
        String uuid = UUID.randomUUID().toString();
        FakeAgent pc = track(new FakeAgent(uuid)
                .on("get_all_settings", params -> Map.of("settings", Map.of("theme", "dark")))
                .on("set_setting", params -> Map.of("key", params.path("key").asText(), "value", params.path("value").asText())));
        pc.register(server.wsUrl(uuid), "Lab PC", Map.of());
        Poll.until("the fake PC online", Duration.ofSeconds(20), () -> server.isOnline(uuid));

        ApiResult all = api.get("/api/settings/" + uuid);
        assertEquals(200, all.status(), "GET /api/settings/" + uuid + ": " + all);
        assertEquals("dark", all.data().path("settings").path("theme").asText(), all.toString());
        ApiResult put = api.put("/api/settings/" + uuid + "/theme", Map.of("value", "light"));
        assertEquals(200, put.status(), "PUT /api/settings/" + uuid + "/theme: " + put);
        assertEquals("light", put.data().path("value").asText(), put.toString());
        String stranger = UUID.randomUUID().toString();
        ApiResult unknown = api.get("/api/settings/" + stranger);
        assertEquals(404, unknown.status(), "GET /api/settings/ of an unknown client: " + unknown);
        assertEquals("CLIENT_NOT_FOUND", unknown.code(), unknown.toString());

        // The broken plugin: not listed as working, and logged by name (id or file) as a warning or an error.
        List<String> problems = new ArrayList<>();
        JsonNode broken = plugin(list, "broken");
        if (broken != null && "started".equals(broken.path("state").asText())) {
            problems.add("GET /api/plugins lists the broken plugin (its extension class " + MISSING_CLASS
                    + " is not in the jar) as working: " + broken);
        } else if (broken != null && broken.path("error").asText("").isBlank()) {
            problems.add("GET /api/plugins lists the broken plugin without an error: " + broken);
        }
        List<String> named = server.process().stderr().lines()
                .filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
                .filter(l -> l.contains("broken"))
                .toList();
        if (named.isEmpty()) {
            problems.add("no WARN or ERROR line on the server's stderr names the broken plugin ('broken' or"
                    + " 'broken-plugin.jar'); the WARN/ERROR lines are: " + server.process().stderr().lines()
                    .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList());
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void aPluginListedInDisabledTxtIsSwitchedOff() throws IOException {
        Path plugins = pluginFolder();
        Files.writeString(plugins.resolve("disabled.txt"), "settings\n", StandardCharsets.UTF_8);
        LmsServer server = track(LmsServer.start(work, LmsServer.randomToken(), work.resolve("server-data"), 0,
                "--enrollment", "open", "--plugins", plugins.toString()));
        ApiClient api = server.api();

        String uuid = UUID.randomUUID().toString();
        FakeAgent pc = track(new FakeAgent(uuid)
                .on("get_all_settings", params -> Map.of("settings", Map.of("theme", "dark"))));
        pc.register(server.wsUrl(uuid), "Lab PC", Map.of());
        Poll.until("the fake PC online", Duration.ofSeconds(20), () -> server.isOnline(uuid));

        for (ApiResult off : List.of(api.get("/api/settings/" + uuid), api.get("/api/settings/" + uuid + "/theme"),
                api.put("/api/settings/" + uuid + "/theme", Map.of("value", "light")),
                api.post("/api/settings/" + uuid + "/batch", Map.of("settings", Map.of("theme", "light"))),
                api.post("/api/settings/batch", Map.of("clients", List.of(uuid), "settings", Map.of("theme", "light"))))) {
            assertEquals(404, off.status(), "a settings route with settings disabled: " + off);
            assertEquals("NOT_FOUND", off.code(), off.toString());
        }

        ApiResult list = api.get("/api/plugins");
        assertEquals(200, list.status(), "GET /api/plugins: " + list);
        JsonNode settings = plugin(list, "settings");
        assertTrue(settings == null || !"started".equals(settings.path("state").asText()),
                "settings is not started when disabled: " + settings);
        for (JsonNode p : list.data()) {
            assertFalse(texts(p.path("routes")).stream().anyMatch(r -> r.contains("/api/settings")),
                    "no plugin registers a settings route: " + p);
        }

        // The rest of the server works: the core command route reaches the agent.
        ApiResult direct = api.post("/api/clients/" + uuid + "/command", Map.of("command", "get_all_settings", "params", Map.of()));
        assertEquals(200, direct.status(), "POST /api/clients/" + uuid + "/command: " + direct);
        assertEquals("dark", direct.data().path("settings").path("theme").asText(), direct.toString());
    }

    /** plugins/: the distribution's settings jar, a broken plugin and a jar that is no plugin. */
    private Path pluginFolder() throws IOException {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Path bundled = Distribution.home().resolve("plugins");
        try (Stream<Path> jars = Files.list(bundled)) {
            Path settingsJar = jars.filter(p -> p.getFileName().toString().matches("settings-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no settings-*.jar in " + bundled));
            Files.copy(settingsJar, plugins.resolve(settingsJar.getFileName()));
        }

        Manifest pf4j = new Manifest();
        pf4j.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        pf4j.getMainAttributes().putValue("Plugin-Id", "broken");
        pf4j.getMainAttributes().putValue("Plugin-Version", "1.0.0");
        pf4j.getMainAttributes().putValue("Plugin-Description", "Names an extension class that is not in the jar");
        writeJar(plugins.resolve("broken-plugin.jar"), pf4j, Map.of("META-INF/extensions.idx", MISSING_CLASS + "\n"));

        Manifest plain = new Manifest();
        plain.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        writeJar(plugins.resolve("not-a-plugin.jar"), plain, Map.of("readme.txt", "Just a library, not a plugin.\n"));
        return plugins;
    }

    private static void writeJar(Path jar, Manifest manifest, Map<String, String> entries) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }

    private static JsonNode plugin(ApiResult list, String id) {
        for (JsonNode p : list.data()) {
            if (id.equals(p.path("id").asText())) {
                return p;
            }
        }
        return null;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
