package org.classtop.plugins.clustermonitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.classtop.api.Event;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The poller alone (no platform): concurrency limit, no overlapping polls of a server, time-outs, transitions. */
class PollerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<FakeMediaServer> fakes = new ArrayList<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private Poller poller;
    private ServerDirectory directory;

    @AfterEach
    void stop() throws Exception {
        if (poller != null) {
            poller.stop();
        }
        fakes.forEach(FakeMediaServer::close);
    }

    private FakeMediaServer fake() {
        FakeMediaServer fake = new FakeMediaServer().channel("ch1", "running").start();
        fakes.add(fake);
        return fake;
    }

    private void start(Map<String, String> config) throws Exception {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (int i = 0; i < fakes.size(); i++) {
            entries.add(fakes.get(i).entry("s" + i, "Server " + i));
        }
        Path file = dir.resolve("servers.json");
        Files.write(file, new ObjectMapper().writeValueAsBytes(entries));
        ClusterMonitorSettings settings = new ClusterMonitorSettings(name -> Optional.ofNullable(config.get(name)), dir);
        directory = new ServerDirectory(settings);
        Watchdog watchdog = new Watchdog(settings, null, null); // off: never restarts
        poller = new Poller(settings, directory, new Upstream("test"), watchdog, events::add);
        poller.start();
    }

    private ServerState.StatusView status(int index) {
        return poller.status(directory.require("s" + index), false);
    }

    @Test
    void neverMoreThanPollConcurrencyRequestsAndNeverTwoForOneServer() throws Exception {
        for (int i = 0; i < 5; i++) {
            fake().statusDelayMillis = 150;
        }
        FakeMediaServer.GLOBAL_MAX_IN_FLIGHT.set(0);
        start(Map.of("POLL_INTERVAL", "0.05", "POLL_CONCURRENCY", "2", "POLL_TIMEOUT", "2"));

        Poll.until("every server polled three times", WAIT, () -> fakes.stream().allMatch(f -> f.statusRequests() >= 3));
        assertEquals(2, FakeMediaServer.GLOBAL_MAX_IN_FLIGHT.get(), "at most POLL_CONCURRENCY requests at once (and the "
                + "limit was used)");
        for (FakeMediaServer fake : fakes) {
            assertEquals(1, fake.maxInFlight(), "a poll never overlaps the previous one of the same server");
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(ServerState.OK, status(i).state());
        }
    }

    @Test
    void aSlowServerIsPolledOnlyWhenItsPreviousPollIsDone() throws Exception {
        FakeMediaServer slow = fake();
        slow.statusDelayMillis = 400;
        FakeMediaServer quick = fake();
        start(Map.of("POLL_INTERVAL", "0.05", "POLL_CONCURRENCY", "4", "POLL_TIMEOUT", "2"));

        Poll.until("the slow server answered three times", WAIT, () -> status(0).polls() >= 3);
        assertEquals(1, slow.maxInFlight());
        assertTrue(quick.statusRequests() > 3 * slow.statusRequests(), "the quick server is polled at its own pace: "
                + quick.statusRequests() + " vs " + slow.statusRequests());
        assertTrue(status(0).lastPollDurationMs() >= 350, "the poll duration is measured: " + status(0).lastPollDurationMs());
    }

    @Test
    void timeoutsErrorsAndRecovery() throws Exception {
        FakeMediaServer hanging = fake();
        hanging.hangStatus = true;
        FakeMediaServer failing = fake();
        failing.statusCode = 500;
        FakeMediaServer notJson = fake();
        notJson.statusBodyOverride = "<html>oops</html>";
        start(Map.of("POLL_INTERVAL", "0.1", "POLL_TIMEOUT", "0.3"));

        ServerState.StatusView timedOut = Poll.value("a time-out", WAIT, () -> status(0), s -> s.state().equals("timeout"));
        assertEquals("No answer to GET /status within 0.3 s.", timedOut.lastError());
        assertTrue(timedOut.lastPollDurationMs() >= 250 && timedOut.lastPollDurationMs() < 2_000,
                "bounded by POLL_TIMEOUT: " + timedOut.lastPollDurationMs());

        ServerState.StatusView error = Poll.value("an error", WAIT, () -> status(1), s -> s.state().equals("error"));
        assertEquals("Answered HTTP 500 to GET /status (database locked).", error.lastError());
        assertEquals(false, error.reachable());

        ServerState.StatusView garbage = Poll.value("not JSON", WAIT, () -> status(2), s -> s.state().equals("error"));
        assertTrue(garbage.lastError().startsWith("The answer to GET /status is not JSON ("), garbage.lastError());

        failing.statusCode = 200;
        ServerState.StatusView recovered = Poll.value("recovery", WAIT, () -> status(1), s -> s.state().equals("ok"));
        assertEquals(0, recovered.consecutiveFailures());
        assertEquals("Answered HTTP 500 to GET /status (database locked).", recovered.lastError(), "the last error stays");
        Poll.until("server_down and server_up events", WAIT, () -> events.stream().anyMatch(e ->
                e.name().equals("cluster-monitor.server_up") && "s1".equals(e.data().get("server_id"))));
        assertTrue(events.stream().anyMatch(e -> e.name().equals("cluster-monitor.server_down")
                && "s0".equals(e.data().get("server_id")) && "timeout".equals(e.data().get("state"))));
    }

    @Test
    void aChangedFileIsPickedUp() throws Exception {
        fake();
        start(Map.of("POLL_INTERVAL", "0.1"));
        Poll.until("first server polled", WAIT, () -> status(0).state().equals("ok"));

        FakeMediaServer second = fake();
        Files.write(dir.resolve("servers.json"), new ObjectMapper().writeValueAsBytes(List.of(
                fakes.get(0).entry("s0", "Server 0"), second.entry("s1", "Server 1"))));
        Poll.until("the added server polled", WAIT, () -> directory.find("s1").isPresent() && status(1).state().equals("ok"));
    }
}
