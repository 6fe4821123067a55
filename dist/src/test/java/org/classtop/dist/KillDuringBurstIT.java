package org.classtop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.FakeAgent;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A power cut in the middle of a burst of commands: the server answers a command only after its log row is
 * committed, so every command a caller saw answered must be in the command log after a kill -9 and a restart.
 */
class KillDuringBurstIT {
    private static final int THREADS = 8;
    /** Answers to collect before the kill. */
    private static final int ANSWERS_BEFORE_KILL = 400;

    @TempDir
    Path work;

    @RegisterExtension
    final StartedResources started = new StartedResources();

    private <T extends AutoCloseable> T track(T resource) {
        return started.track(resource);
    }

    @Test
    void everyAnsweredCommandIsLoggedAfterAKill9() throws Exception {
        String adminToken = LmsServer.randomToken();
        Path serverData = work.resolve("server-data");
        LmsServer server = track(LmsServer.start(work, adminToken, serverData, 0, "--enrollment", "open"));
        // The launcher execs java: the process started is the JVM that is about to be killed, not a shell.
        server.process().process().info().command().ifPresent(command ->
                assertTrue(Path.of(command).getFileName().toString().startsWith("java"),
                        "pid " + server.process().pid() + " is the JVM, not " + command));

        String uuid = UUID.randomUUID().toString();
        FakeAgent agent = track(new FakeAgent(uuid).on("echo", params -> params));
        agent.register(server.wsUrl(uuid), "Burst PC", Map.of());
        Poll.until("the fake agent online", Duration.ofSeconds(20), () -> server.isOnline(uuid));

        ApiClient api = server.api();
        ApiResult probe = api.post("/api/clients/" + uuid + "/command", Map.of("command", "echo", "params", Map.of("n", -1)));
        assertEquals(200, probe.status(), "echo before the burst: " + probe);
        assertEquals(-1, probe.data().path("n").asInt(), "echo answers its params: " + probe);

        Set<Integer> answered = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService callers = Executors.newFixedThreadPool(THREADS);
        long burstStart = System.nanoTime();
        try {
            for (int t = 0; t < THREADS; t++) {
                callers.submit(() -> {
                    while (!killed.get()) {
                        int i = next.getAndIncrement();
                        try {
                            ApiResult r = api.post("/api/clients/" + uuid + "/command",
                                    Map.of("command", "echo", "params", Map.of("n", i), "timeout", 30));
                            if (r.status() == 200 && r.data() != null && r.data().path("n").asInt(Integer.MIN_VALUE) == i) {
                                answered.add(i);
                            } else if (!killed.get()) {
                                unexpected.add("n=" + i + ": " + r);
                            }
                        } catch (RuntimeException e) {
                            if (!killed.get()) {
                                unexpected.add("n=" + i + ": " + e);
                            }
                        }
                    }
                });
            }
            Poll.until(ANSWERS_BEFORE_KILL + " answered commands", Duration.ofSeconds(90),
                    () -> answered.size() >= ANSWERS_BEFORE_KILL || !unexpected.isEmpty());
            assertTrue(unexpected.isEmpty(), "every command is answered 200 while the server runs: " + unexpected);

            // kill -9 while the callers keep going.
            killed.set(true);
            server.process().kill();
        } finally {
            killed.set(true);
            callers.shutdown();
            if (!callers.awaitTermination(60, TimeUnit.SECONDS)) {
                callers.shutdownNow();
            }
        }
        double burstSeconds = (System.nanoTime() - burstStart) / 1e9;
        int sent = next.get();
        Set<Integer> seen = new TreeSet<>(answered);

        LmsServer again = track(LmsServer.start(work, adminToken, serverData, 0, "--enrollment", "open"));
        Map<Integer, JsonNode> logged = new TreeMap<>();
        Map<String, Integer> statuses = new TreeMap<>();
        for (JsonNode row : again.commandLog(uuid)) {
            if (row.path("command").asText().equals("echo") && row.path("params").has("n")) {
                logged.put(row.path("params").path("n").asInt(), row);
                statuses.merge(row.path("status").asText(), 1, Integer::sum);
            }
        }
        System.out.printf("KillDuringBurstIT: %d commands sent in %.1f s, %d answered 200 before kill -9 (exit %d),"
                        + " %d logged after the restart %s%n",
                sent, burstSeconds, seen.size(), server.process().process().exitValue(), logged.size(), statuses);

        List<String> lost = new ArrayList<>();
        for (int i : seen) {
            JsonNode row = logged.get(i);
            if (row == null) {
                lost.add("n=" + i + " not in the log");
            } else if (!"ok".equals(row.path("status").asText())) {
                lost.add("n=" + i + " logged with status " + row.path("status").asText() + ": " + row);
            }
        }
        assertTrue(lost.isEmpty(), lost.size() + " of " + seen.size() + " answered commands are not logged ok after the"
                + " kill -9: " + (lost.size() > 20 ? lost.subList(0, 20) + " ..." : lost));
    }
}
