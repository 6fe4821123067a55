package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiException;
import org.classtop.core.config.ServerConfig.AgentLimits;
import org.classtop.core.hub.AgentHub;
import org.classtop.core.hub.AgentSession;
import org.junit.jupiter.api.Test;

/**
 * An agent that stops reading fills only its own outbound allowance, counted in bytes: sends to it fail
 * fast, the other agents go on, and a command whose caller already got its time-out is never written
 * to the agent afterwards (what already sat in socket buffers carries a deadline the agent honours).
 */
class SlowAgentTest {
    private static final long ALLOWANCE = 1 << 20;

    @Test
    void aHungAgentIsBoundedInBytesAndNeverGetsCommandsWhoseCallersGaveUp() throws Exception {
        AgentLimits d = AgentLimits.DEFAULTS;
        AgentLimits limits = new AgentLimits(d.maxPendingClients(), d.pendingConnectsPerMinute(), d.maxEventBytes(),
                d.eventsPerMinute(), ALLOWANCE, 512 * 1024);
        try (TestServer server = TestServer.builder().limits(limits).start();
             FakeAgent hung = server.agent("hung-1", "Hung PC", a -> a.silent());
             FakeAgent healthy = server.agent("healthy-1", "Healthy PC", a -> a.on("ping", p -> Map.of("pong", true)))) {
            hung.stallReading();
            hung.heartbeat(); // the last frame it reads; everything after stays in the socket
            AgentCommands commands = server.server().injector().getInstance(AgentCommands.class);
            AgentSession session = server.server().injector().getInstance(AgentHub.class).session("hung-1");
            String padding = "x".repeat(200 * 1024);
            // 500 commands of 200 KiB (100 MB): far more than socket buffers plus the allowance of 1 MiB.
            List<CompletableFuture<Object>> flood = new ArrayList<>();
            long maxUnsent = 0;
            for (int i = 0; i < 500; i++) {
                flood.add(commands.send("hung-1", "noop", Map.of("pad", padding), Duration.ofSeconds(2)).toCompletableFuture());
                maxUnsent = Math.max(maxUnsent, session.unsentBytes());
            }
            assertTrue(maxUnsent <= ALLOWANCE, "unsent bytes stay within the allowance: " + maxUnsent);
            ApiException busy = Poll.value("a send that fails fast", Duration.ofSeconds(20), () -> firstFailure(flood, "CLIENT_BUSY"),
                    java.util.Objects::nonNull);
            assertEquals(503, busy.status());
            assertTrue(busy.getMessage().contains("Hung PC"), busy.getMessage());

            for (int i = 0; i < 20; i++) {
                ApiResult ping = server.api().post("/api/clients/healthy-1/command", Map.of("command", "ping", "timeout", 5));
                assertEquals(200, ping.status(), "the healthy agent keeps answering: " + ping);
            }

            // Every accepted command times out (504) while the agent does not read.
            for (CompletableFuture<Object> f : flood) {
                f.handle((v, e) -> null).get(30, TimeUnit.SECONDS);
            }
            long accepted = flood.stream().filter(f -> !"CLIENT_BUSY".equals(code(f))).count();
            assertTrue(accepted < 100, "only what fits the sockets and the allowance was accepted: " + accepted);
            assertEquals(accepted, flood.stream().filter(f -> "COMMAND_TIMEOUT".equals(code(f))).count(),
                    "every accepted command timed out");

            // The agent reads again: what the server still held is dropped, not written.
            double resumedAt = System.currentTimeMillis() / 1000.0;
            hung.resumeReading();
            hung.heartbeat();
            JsonNode ack = hung.await(f -> "heartbeat_ack".equals(f.path("type").asText())
                    && f.path("timestamp").asDouble() >= resumedAt, Duration.ofSeconds(30), "the answer to the new heartbeat");
            assertTrue(ack.has("server_time"));
            long delivered = hung.history().stream().filter(f -> "command".equals(f.path("type").asText())).count();
            assertTrue(delivered < accepted, "commands held by the server were dropped: " + delivered + " of " + accepted + " arrived");
            assertTrue(session.droppedUnwanted() > 0);
            for (JsonNode command : hung.history()) {
                if ("command".equals(command.path("type").asText())) {
                    assertTrue(command.path("deadline").asDouble() < resumedAt,
                            "a late command carries a passed deadline, so an agent drops it: " + command.path("request_id"));
                }
            }
        }
    }

    private static String code(CompletableFuture<Object> f) {
        ApiException e = failure(f);
        return e == null ? null : e.code();
    }

    private static ApiException failure(CompletableFuture<Object> f) {
        if (!f.isCompletedExceptionally()) {
            return null;
        }
        try {
            f.join();
            return null;
        } catch (RuntimeException e) {
            return e.getCause() instanceof ApiException api ? api : null;
        }
    }

    private static ApiException firstFailure(List<CompletableFuture<Object>> futures, String code) {
        for (CompletableFuture<Object> f : futures) {
            ApiException e = failure(f);
            if (e != null && code.equals(e.code())) {
                return e;
            }
        }
        return null;
    }

    @Test
    void theCommandLogKeepsNoLargeParametersOrAnswers() {
        String big = "y".repeat(40 * 1024);
        try (TestServer server = TestServer.builder().start();
             FakeAgent agent = server.agent("big-1", "PC", a -> a.on("echo", p -> Map.of("echo", p.path("pad").asText())))) {
            ApiResult answer = server.api().post("/api/clients/big-1/command", Map.of("command", "echo", "params", Map.of("pad", big)));
            assertEquals(200, answer.status(), answer.toString());
            assertEquals(big, answer.data().path("echo").asText(), "the caller still gets the whole answer");
            String logged = server.api().get("/api/commands?client=big-1").data().toString();
            assertTrue(logged.contains("not_kept"), logged.length() > 500 ? logged.substring(0, 500) : logged);
            assertTrue(!logged.contains("yyyyyyyyyy"), "neither the 40 KiB parameter nor the answer is copied into the log");
        }
    }
}
