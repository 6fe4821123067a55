package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.classtop.testing.jars.JarPlugins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure isolation and settings with real plugin jars loaded through PF4J: a throwing extension constructor,
 * a throwing handler, a hanging start() and a setting changed from the API, while another jar's route answers.
 */
class PluginJarIsolationTest {
    @TempDir
    Path folder;

    @Test
    void failingJarsAreNamedTheOthersAnswerAndASettingChangeReloadsTheJar() throws Exception {
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        jar(plugins, "jar-ctor-fails", JarPlugins.ConstructorFails.class);
        jar(plugins, "jar-thrower", JarPlugins.Throws.class, JarPlugins.Boom.class);
        jar(plugins, "jar-hangs", JarPlugins.HangsInStart.class, JarPlugins.Hangs.class);
        jar(plugins, "jar-tuned", JarPlugins.Tuned.class, JarPlugins.Greeting.class);
        try (TestServer server = TestServer.builder().pluginsDir(plugins)
                .serverConfig(c -> c.pluginStartTimeout(Duration.ofMillis(800))).start()) {
            JsonNode constructor = plugin(server, "jar-ctor-fails");
            assertEquals("failed", constructor.path("state").asText(), constructor.toString());
            assertTrue(constructor.path("error").asText().startsWith("Plugin 'jar-ctor-fails'"), constructor.toString());
            assertTrue(constructor.path("error").asText().contains("the constructor of a jar plugin blew up"), constructor.toString());

            JsonNode hangs = plugin(server, "jar-hangs");
            assertEquals("failed", hangs.path("state").asText());
            assertEquals("Plugin 'jar-hangs' did not start within 800 ms (its lifecycle " + JarPlugins.Hangs.class.getName()
                    + "); it is skipped.", hangs.path("error").asText());

            ApiResult boom = server.api().get("/api/jar-thrower/boom");
            assertEquals(500, boom.status());
            assertEquals("PLUGIN_FAILED", boom.code());
            assertEquals("Plugin 'jar-thrower' failed to answer GET /api/jar-thrower/boom.", boom.error());
            assertFalse(boom.text().contains("77ab"), boom.text());

            ApiResult greeting = server.api().get("/api/jar-tuned/greeting");
            assertEquals(200, greeting.status(), greeting.toString());
            assertEquals("hello", greeting.data().path("greeting").asText());

            ApiResult live = server.api().put("/api/plugins/jar-tuned/settings", Map.of("values", Map.of("times", 3)));
            assertEquals("live", live.data().path("applied").asText(), live.toString());
            assertEquals(3, server.api().get("/api/jar-tuned/greeting").data().path("times").asInt());

            ApiResult reloaded = server.api().put("/api/plugins/jar-tuned/settings",
                    Map.of("values", Map.of("greeting", "good morning")));
            assertEquals(200, reloaded.status(), reloaded.toString());
            assertEquals("reloaded", reloaded.data().path("applied").asText());
            JsonNode after = server.api().get("/api/jar-tuned/greeting").data();
            assertEquals("good morning", after.path("greeting").asText(), "the jar's plugin was restarted and reads it");
            assertEquals(3, after.path("times").asInt());
            assertEquals("started", plugin(server, "jar-tuned").path("state").asText());
        }
    }

    private static JsonNode plugin(TestServer server, String id) {
        for (JsonNode p : server.api().get("/api/plugins").data()) {
            if (id.equals(p.path("id").asText())) {
                return p;
            }
        }
        throw new AssertionError("no plugin '" + id + "'");
    }

    /** A PF4J plugin jar of the compiled test classes; the first is the extension. */
    private static void jar(Path folder, String id, Class<?>... classes) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Plugin-Id", id);
        main.putValue("Plugin-Version", "1.0.0");
        main.putValue("Plugin-Provider", "tests");
        try (OutputStream file = Files.newOutputStream(folder.resolve(id + "-1.0.0.jar"));
             JarOutputStream out = new JarOutputStream(file, manifest)) {
            List<Class<?>> all = new java.util.ArrayList<>(List.of(classes));
            all.add(JarPlugins.class); // the nested classes name their outer class
            for (Class<?> type : all) {
                String name = type.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(name));
                try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
            out.write((classes[0].getName() + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }
}
