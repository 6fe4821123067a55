package org.classtop.testing.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.classtop.agent.AgentConfig;
import org.classtop.agent.AgentRuntime;
import org.classtop.api.Registration;
import org.classtop.core.config.ServerConfig.EnrollmentMode;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent-side services a plugin injects: event buffering across reconnects, the scheduler, agent info. */
class AgentServicesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path agentDir;

    LanePlugins.AgentSide side = new LanePlugins.AgentSide();
    TestServer server;
    AgentRuntime agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        server.close();
    }

    private AgentRuntime startAgent(int eventBuffer) throws Exception {
        agent = AgentRuntime.builder(AgentConfig.builder(URI.create(server.baseUrl()))
                        .dataDir(Files.createDirectories(agentDir.resolve("pc"))).clientUuid("svc-pc").name("Services PC").build())
                .plugin("lanetest", new LanePlugins.Agent(side))
                .eventBuffer(eventBuffer)
                .build();
        agent.start();
        agent.firstRegistration().get(15, TimeUnit.SECONDS);
        return agent;
    }

    private List<String> loggedEvents(String prefix) {
        JsonNode events = server.api().get("/api/events?client=svc-pc&prefix=" + prefix).data();
        List<String> names = new ArrayList<>();
        events.forEach(e -> names.add(e.path("event").asText() + " " + e.path("data")));
        return names;
    }

    @Test
    void eventsRaisedWhileDisconnectedArriveAfterTheReconnectOldestDroppedAndCounted() throws Exception {
        server = TestServer.builder().enrollment(EnrollmentMode.APPROVE)
                .plugin("lanetest", new LanePlugins.Server(new LanePlugins.Received()), new LanePlugins.Agent(side)).start();
        startAgent(5);
        assertEquals(200, server.api().post("/api/clients/svc-pc/approve", Map.of()).status());
        side.context.emit("online", Map.of("n", 0));
        Poll.until("the first event arrived", WAIT, () -> loggedEvents("lanetest.").size() == 1);

        // Re-enrolled, the agent reconnects and waits for approval: what it emits meanwhile waits with it.
        assertEquals(200, server.api().post("/api/clients/svc-pc/re-enroll", Map.of()).status());
        Poll.until("the agent waits for approval again", WAIT, () -> {
            JsonNode pending = server.api().get("/api/clients/pending").data();
            return pending.toString().contains("svc-pc") && agent.isRegistered();
        });
        for (int i = 1; i <= 8; i++) {
            side.context.emit("tick", Map.of("n", i));
        }
        assertEquals(3, agent.eventsDropped(), "a buffer of 5 keeps the newest 5 of 8");

        assertEquals(200, server.api().post("/api/clients/svc-pc/approve", Map.of()).status());
        Poll.until("the buffered events arrived", WAIT, () -> loggedEvents("lanetest.").size() == 6);
        List<String> events = loggedEvents("lanetest.");
        for (int i = 4; i <= 8; i++) {
            int n = i;
            assertTrue(events.stream().anyMatch(e -> e.equals("lanetest.tick {\"n\":" + n + "}")), events.toString());
        }
        assertTrue(events.stream().noneMatch(e -> e.equals("lanetest.tick {\"n\":3}")), events.toString());
        Poll.until("the drop count was reported", WAIT, () -> !loggedEvents("agent.").isEmpty());
        assertEquals(List.of("agent.events_dropped {\"dropped\":3}"), loggedEvents("agent."));
    }

    @Test
    void theSchedulerRunsTasksAndCancelsThemWhenThePluginStops() throws Exception {
        server = TestServer.builder().start();
        startAgent(10);
        AtomicInteger ticks = new AtomicInteger();
        CountDownLatch once = new CountDownLatch(1);
        Registration every = side.scheduler.every(Duration.ofMillis(10), ticks::incrementAndGet);
        side.scheduler.after(Duration.ofMillis(10), once::countDown);
        side.scheduler.every(Duration.ofMillis(10), () -> {
            throw new IllegalStateException("a failing task runs again at its next turn");
        });
        Poll.until("the periodic task ran a few times", WAIT, () -> ticks.get() >= 3);
        assertTrue(once.await(10, TimeUnit.SECONDS));
        every.close();
        AtomicInteger afterCancel = new AtomicInteger();
        side.scheduler.every(Duration.ofMillis(10), afterCancel::incrementAndGet);
        Poll.until("a second task runs", WAIT, () -> afterCancel.get() >= 2);

        agent.close();
        IllegalStateException stopped = assertThrows(IllegalStateException.class,
                () -> side.scheduler.after(Duration.ofMillis(1), () -> { }));
        assertTrue(stopped.getMessage().contains("lanetest"), stopped.getMessage());
        assertThrows(IllegalStateException.class, () -> side.streams.openLive("preview"));
        assertThrows(IllegalArgumentException.class, () -> side.scheduler.every(Duration.ZERO, () -> { }));
    }

    @Test
    void agentInfoTellsWhoAndWhereTheAgentIs() throws Exception {
        server = TestServer.builder().start();
        startAgent(10);
        assertEquals("svc-pc", side.info.clientUuid());
        assertEquals(URI.create(server.baseUrl()), side.info.serverUrl());
        assertEquals(agentDir.resolve("pc"), side.info.dataDir());
        assertTrue(side.info.agentVersion().matches("\\d+\\.\\d+.*"), side.info.agentVersion());
        ApiResult client = server.api().get("/api/clients/svc-pc");
        assertEquals(side.info.agentVersion(), client.data().path("agent_version").asText());
    }
}
