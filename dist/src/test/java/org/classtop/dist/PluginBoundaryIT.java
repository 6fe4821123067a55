package org.classtop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.classtop.it.boundary.Clock;
import org.classtop.it.boundary.ClockConsumer;
import org.classtop.it.boundary.ClockProvider;
import org.classtop.it.boundary.CoreSnooper;
import org.classtop.it.boundary.HubGrabber;
import org.classtop.it.boundary.TickingClock;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin boundary with real jars on the real server and agent (bin/classtop-server, bin/classtop-agent):
 * a plugin cannot load a core class, one whose handler needs a core class is refused by name, and a
 * consumer jar injects the service its provider jar exports, on both sides. The test plugins' classes are
 * compiled with these tests and packed into jars here.
 */
class PluginBoundaryIT {
    private static final Duration CONNECT = Duration.ofSeconds(30);

    @TempDir
    Path work;

    @RegisterExtension
    final StartedResources started = new StartedResources();

    private <T extends AutoCloseable> T track(T resource) {
        return started.track(resource);
    }

    @Test
    void pluginsSeeOnlyTheApiAndShareServicesThroughDependencies() throws IOException {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        writeJar(plugins.resolve("clock-1.0.0.jar"), "clock", null,
                List.of(ClockProvider.Server.class, ClockProvider.Agent.class),
                List.of(ClockProvider.class, Clock.class, TickingClock.class));
        writeJar(plugins.resolve("clock-reader-1.0.0.jar"), "clock-reader", "clock",
                List.of(ClockConsumer.Server.class, ClockConsumer.Agent.class), List.of(ClockConsumer.class));
        writeJar(plugins.resolve("orphan-1.0.0.jar"), "orphan", "no-such-plugin",
                List.of(ClockConsumer.Server.class), List.of(ClockConsumer.class));
        writeJar(plugins.resolve("snooper-1.0.0.jar"), "snooper", null, List.of(CoreSnooper.class), List.of(CoreSnooper.class));
        writeJar(plugins.resolve("hub-grabber-1.0.0.jar"), "hub-grabber", null, List.of(HubGrabber.class),
                List.of(HubGrabber.class));

        LmsServer server = track(LmsServer.start(work, LmsServer.randomToken(), work.resolve("server-data"), 0,
                "--enrollment", "open", "--plugins", plugins.toString()));
        ApiClient api = server.api();
        ApiResult list = api.get("/api/plugins");
        assertEquals(200, list.status(), "GET /api/plugins: " + list);

        // A core class is not there for plugin code.
        ApiResult forName = api.get("/api/snooper/for-name");
        assertEquals(200, forName.status(), forName.toString());
        assertEquals("ClassNotFoundException", forName.data().path("result").asText(), forName.toString());
        assertEquals(CoreSnooper.CORE_CLASS, forName.data().path("class").asText(), forName.toString());

        // A plugin whose handler needs one is refused, and the error names the class.
        JsonNode grabber = plugin(list, "hub-grabber");
        assertEquals("failed", grabber.path("state").asText(), grabber.toString());
        assertTrue(grabber.path("error").asText().startsWith("Plugin 'hub-grabber' uses org.classtop.core.hub.AgentHub,"
                + " which is not part of plugin-api"), grabber.toString());
        assertEquals(404, api.get("/api/hub-grabber").status());

        // A consumer without its provider fails by name.
        JsonNode orphan = plugin(list, "orphan");
        assertEquals("failed", orphan.path("state").asText(), orphan.toString());
        assertEquals("Plugin 'orphan' needs plugin 'no-such-plugin', which is not installed.", orphan.path("error").asText());

        // Provider and consumer share one service instance on the server.
        JsonNode clock = plugin(list, "clock");
        JsonNode reader = plugin(list, "clock-reader");
        assertEquals("started", clock.path("state").asText(), clock.toString());
        assertEquals("started", reader.path("state").asText(), reader.toString());
        assertEquals(List.of(Clock.class.getName()), texts(clock.path("exports")), clock.toString());
        assertEquals(List.of("clock"), texts(reader.path("dependencies")), reader.toString());
        ApiResult first = api.get("/api/clock/tick");
        ApiResult second = api.get("/api/clock-reader/tick");
        assertEquals(200, second.status(), second.toString());
        assertEquals(1, first.data().path("tick").asInt(), first.toString());
        assertEquals(2, second.data().path("tick").asInt(), "the consumer ticks the provider's own clock: " + second);
        assertEquals(first.data().path("instance").asInt(), second.data().path("instance").asInt());

        // And on a real agent loading the same jars.
        AgentProcess agent = track(AgentProcess.start(work, server.url(), "Plugin PC", work.resolve("agent-data"), null,
                "--plugins", plugins.toString()));
        agent.awaitConnected(CONNECT);
        String uuid = agent.uuid();
        Poll.until("the agent online", CONNECT, () -> server.isOnline(uuid));
        for (int expected = 1; expected <= 2; expected++) {
            ApiResult tick = api.post("/api/clients/" + uuid + "/command", Map.of("command", "clock_tick", "params", Map.of()));
            assertEquals(200, tick.status(), "clock_tick on the agent: " + tick + agent.process().describe());
            assertEquals(expected, tick.data().path("tick").asInt(), tick.toString());
        }
    }

    private static void writeJar(Path jar, String id, String dependencies, List<Class<?>> extensions,
                                 List<Class<?>> classes) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Plugin-Id", id);
        main.putValue("Plugin-Version", "1.0.0");
        main.putValue("Plugin-Provider", "tests");
        if (dependencies != null) {
            main.putValue("Plugin-Dependencies", dependencies);
        }
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Class<?> type : classes) {
                addClass(out, type);
                for (Class<?> nested : type.getDeclaredClasses()) {
                    addClass(out, nested);
                }
            }
            out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
            StringBuilder index = new StringBuilder();
            extensions.forEach(e -> index.append(e.getName()).append('\n'));
            out.write(index.toString().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    private static void addClass(JarOutputStream out, Class<?> type) throws IOException {
        String name = type.getName().replace('.', '/') + ".class";
        out.putNextEntry(new JarEntry(name));
        try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
            in.transferTo(out);
        }
        out.closeEntry();
    }

    private static JsonNode plugin(ApiResult list, String id) {
        for (JsonNode p : list.data()) {
            if (id.equals(p.path("id").asText())) {
                return p;
            }
        }
        throw new AssertionError("GET /api/plugins does not list '" + id + "': " + list);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
