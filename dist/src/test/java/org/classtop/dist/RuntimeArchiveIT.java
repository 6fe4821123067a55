package org.classtop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime archive (classtop-VERSION-linux-x64.tar.gz): unpacked, its launchers run the server and an agent
 * on the Java runtime inside it (made by jlink), not on the machine's Java, with every bundled plugin started.
 */
@EnabledOnOs(OS.LINUX)
class RuntimeArchiveIT {
    @TempDir
    Path work;

    @Test
    void serverAndAgentRunOnTheBundledRuntime() throws Exception {
        Path archive = Distribution.home().getParent()
                .resolve("classtop-" + System.getProperty("classtop.version") + "-linux-x64.tar.gz");
        Assumptions.assumeTrue(Files.isRegularFile(archive), "no runtime archive: this JDK has no jmods "
                + "(some distributions package them apart from the JDK), so the build made none");
        Process untar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", work.toString()).inheritIO().start();
        assertEquals(0, untar.waitFor(), "tar -xzf " + archive);
        Path home;
        try (Stream<Path> top = Files.list(work)) {
            home = top.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Path java = home.resolve("runtime/bin/java");
        assertTrue(Files.isExecutable(java), java + " is executable");

        String token = LmsServer.randomToken();
        // JAVA_HOME unset: the launcher must choose runtime/ over the machine's java on PATH.
        Map<String, String> env = Map.of("CLASSTOP_ADMIN_TOKEN", token, "CLASSTOP_ENROLLMENT", "open", "JAVA_HOME", "");
        try (LaunchedProcess server = LaunchedProcess.start(home.resolve("bin/classtop-lms"),
                List.of("--port", "0", "--bind", "127.0.0.1", "--data", work.resolve("lms-data").toString()), env, work)) {
            Matcher ready = server.awaitStdoutLine(LmsServer.READY, LmsServer.START_TIMEOUT);
            assertEquals(java.toRealPath(), Path.of("/proc", Long.toString(server.pid()), "exe").toRealPath(),
                    "the server runs on the bundled runtime" + server.describe());
            String url = "http://127.0.0.1:" + ready.group(3);
            ApiClient api = ApiClient.withToken(url, token);
            ApiResult plugins = api.get("/api/plugins");
            assertEquals(200, plugins.status(), plugins.toString());
            for (JsonNode plugin : plugins.data()) {
                assertEquals("started", plugin.path("state").asText(), plugin + server.describe());
            }
            assertTrue(plugins.data().size() >= 4, plugins.toString());

            try (LaunchedProcess agent = LaunchedProcess.start(home.resolve("bin/classtop-agent"),
                    List.of("--server", url, "--name", "Runtime PC", "--uuid", "runtime-pc",
                            "--data", work.resolve("agent-data").toString()), Map.of("JAVA_HOME", ""), work)) {
                agent.awaitStdoutLine(Pattern.compile(Pattern.quote("classtop-agent connected to " + url)), Duration.ofSeconds(60));
                assertEquals(java.toRealPath(), Path.of("/proc", Long.toString(agent.pid()), "exe").toRealPath(),
                        "the agent runs on the bundled runtime" + agent.describe());
                Poll.until("the agent online", Duration.ofSeconds(30),
                        () -> api.get("/api/clients/runtime-pc").data().path("online").asBoolean());
                ApiResult answer = api.post("/api/clients/runtime-pc/command",
                        Map.of("command", "set_setting", "params", Map.of("key", "theme", "value", "dark")));
                assertEquals(200, answer.status(), answer + agent.describe());
            }
        }
    }

}
