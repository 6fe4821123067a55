package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An agent that stops reading fills only its own outbound allowance: sends to it fail fast, others go on. */
class SlowAgentTest {
    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension();

    @Test
    void aHungAgentGetsClientBusyAndNeverStallsTheOthers() throws Exception {
        TestServer server = SERVER.get();
        try (FakeAgent hung = server.agent("hung-1", "Hung PC", a -> a.silent());
             FakeAgent healthy = server.agent("healthy-1", "Healthy PC", a -> a.on("ping", p -> Map.of("pong", true)))) {
            hung.stallReading();
            hung.heartbeat(); // the last frame it reads; everything after stays in the socket
            AgentCommands commands = server.server().injector().getInstance(AgentCommands.class);
            String padding = "x".repeat(16 * 1024);
            // 5,000 frames of 16 KiB: far more than the socket buffers plus the agent's allowance of 1,024 frames.
            List<CompletableFuture<Object>> flood = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                flood.add(commands.send("hung-1", "noop", Map.of("pad", padding), Duration.ofSeconds(60)).toCompletableFuture());
            }
            ApiException busy = Poll.value("a send that fails fast", Duration.ofSeconds(20), () -> firstFailure(flood),
                    java.util.Objects::nonNull);
            assertEquals("CLIENT_BUSY", busy.code());
            assertEquals(503, busy.status());
            assertTrue(busy.getMessage().contains("Hung PC"), busy.getMessage());

            long start = System.nanoTime();
            ApiResult ping = server.api().post("/api/clients/healthy-1/command", Map.of("command", "ping"));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(200, ping.status(), ping.toString());
            assertTrue(millis < 5_000, "the healthy agent still answers (took " + millis + " ms)");
            hung.abort();
            for (CompletableFuture<Object> f : flood) {
                f.handle((v, e) -> null).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static ApiException firstFailure(List<CompletableFuture<Object>> futures) {
        for (CompletableFuture<Object> f : futures) {
            if (f.isCompletedExceptionally()) {
                try {
                    f.join();
                } catch (RuntimeException e) {
                    return (ApiException) e.getCause();
                }
            }
        }
        return null;
    }
}
