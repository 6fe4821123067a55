package org.classtop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.classtop.api.Lifecycle;
import org.classtop.api.agent.AgentPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent plugin whose start() hangs is given up after --plugin-start-timeout; the agent connects with the others. */
class AgentPluginStartTimeoutTest {
    static final CountDownLatch NEVER = new CountDownLatch(1);

    public static final class Hangs implements Lifecycle {
        @Override
        public void start() throws Exception {
            NEVER.await();
        }

        @Override
        public void stop() {
        }
    }

    static final class HangingPlugin extends AgentPlugin {
        @Override
        protected void configure() {
            lifecycle(Hangs.class);
        }
    }

    private static AgentConfig parse(String... args) {
        picocli.CommandLine commandLine = new picocli.CommandLine(new AgentCommandLine());
        commandLine.parseArgs(args);
        return ((AgentCommandLine) commandLine.getCommand()).toConfig();
    }

    @Test
    void theFlagTakesADuration() {
        assertEquals(Duration.ofSeconds(30), parse("--server", "http://127.0.0.1:8000").pluginStartTimeout());
        assertEquals(Duration.ofMinutes(2), parse("--server", "http://127.0.0.1:8000", "--plugin-start-timeout", "2m")
                .pluginStartTimeout());
        assertEquals(Duration.ofSeconds(45), parse("--server", "http://127.0.0.1:8000", "--plugin-start-timeout", "45")
                .pluginStartTimeout());
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> parse("--server", "http://127.0.0.1:8000", "--plugin-start-timeout", "soon"));
        assertEquals("--plugin-start-timeout must be a duration such as 30s or 2m, not 'soon'.", bad.getMessage());
    }

    @Test
    void aHangingStartIsGivenUpAndTheAgentRegisters(@TempDir Path dataDir) throws Exception {
        assertEquals(Duration.ofSeconds(30), AgentConfig.builder(java.net.URI.create("http://127.0.0.1:1")).build()
                .pluginStartTimeout(), "the default");
        try (FakeServer server = new FakeServer()) {
            AgentConfig config = AgentConfig.builder(server.url()).dataDir(dataDir).name("lab-pc-8")
                    .pluginStartTimeout(Duration.ofMillis(500)).build();
            AgentRuntime agent = AgentRuntime.builder(config).plugin("echo", new TestPlugins.EchoPlugin())
                    .plugin("hanging", new HangingPlugin()).build();
            try {
                long began = System.nanoTime();
                agent.start();
                assertTrue(System.nanoTime() - began < TimeUnit.SECONDS.toNanos(10), "the start went on");
                assertEquals(List.of("echo"), agent.pluginIds(), "the hanging plugin is skipped");
                agent.firstRegistration().get(10, TimeUnit.SECONDS);
            } finally {
                agent.close();
                NEVER.countDown();
            }
        }
    }
}
