package org.classtop.plugins.clustermonitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.classtop.api.Failures;
import org.classtop.api.Event;
import org.classtop.api.Lifecycle;
import org.classtop.api.server.Events;
import org.classtop.plugins.clustermonitor.ServerState.PollResult;
import org.classtop.plugins.clustermonitor.ServerState.StatusView;
import org.classtop.plugins.clustermonitor.StatusParser.UnreadableStatusException;
import org.classtop.plugins.clustermonitor.Upstream.Answer;
import org.classtop.plugins.clustermonitor.Upstream.Failure;
import org.classtop.plugins.clustermonitor.Upstream.UpstreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every server's {@code GET /status} every {@code POLL_INTERVAL} and keeps the result in a cache
 * that the API answers from.
 *
 * <ul>
 *   <li>One scheduler thread starts a round; the requests themselves are asynchronous (no thread waits
 *       for a server).</li>
 *   <li>At most {@code POLL_CONCURRENCY} requests are in flight at once: the others wait in a queue, in
 *       file order, and start as soon as one finishes.</li>
 *   <li>Each request is bounded by {@code POLL_TIMEOUT}; a server is never polled again while its previous
 *       poll is still queued or running, so a slow server costs one slot, never more.</li>
 *   <li>Each round first checks whether {@code servers.json} changed on disk; a server that was added or
 *       changed is polled at once.</li>
 * </ul>
 */
@Singleton
public final class Poller implements Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ClusterMonitorSettings settings;
    private final ServerDirectory directory;
    private final Upstream upstream;
    private final Watchdog watchdog;
    private final Events events;
    private final Map<String, ServerState> states = new ConcurrentHashMap<>();
    private final Queue<ServerState> waiting = new ConcurrentLinkedQueue<>();
    private final Semaphore permits;
    private volatile ScheduledExecutorService scheduler;
    private volatile boolean running;
    private boolean listening;

    @Inject
    public Poller(ClusterMonitorSettings settings, ServerDirectory directory, Upstream upstream, Watchdog watchdog,
                  Events events) {
        this.settings = settings;
        this.directory = directory;
        this.upstream = upstream;
        this.watchdog = watchdog;
        this.events = events;
        this.permits = new Semaphore(settings.pollConcurrency());
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        LOG.info("[cluster-monitor] Monitoring media servers: {}", settings);
        watchdog.load();
        if (!listening) {
            directory.onChange(this::serversChanged);
            listening = true;
        }
        running = true;
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "cluster-monitor-poller");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::round, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        if (!running) {
            return;
        }
        running = false;
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        upstream.close();
        waiting.clear();
        LOG.info("[cluster-monitor] Stopped monitoring media servers");
    }

    /** The cached status of a server (never waits for the network). */
    public StatusView status(MediaServer server, boolean withHistory) {
        ServerState state = states.get(server.id());
        if (state == null || !state.server().sameEndpoint(server)) {
            return ServerState.pending(server, withHistory);
        }
        return state.view(withHistory);
    }

    Map<String, ServerState> states() {
        return Map.copyOf(states);
    }

    /** Polls one server as soon as a slot is free (after a restart, or on request). */
    public void pollSoon(String serverId) {
        submit(() -> {
            sync();
            ServerState state = states.get(serverId);
            if (state != null) {
                enqueue(state);
            }
            drain();
        });
    }

    private void serversChanged() {
        submit(() -> {
            sync().forEach(this::enqueue);
            drain();
        });
    }

    private void submit(Runnable task) {
        ScheduledExecutorService current = scheduler;
        if (running && current != null) {
            try {
                current.execute(() -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.error("[cluster-monitor] Poll task failed: {}", e.toString(), e);
                    }
                });
            } catch (RejectedExecutionException e) {
                // stopping
            }
        }
    }

    /** One round: reread servers.json if it changed, then queue every server that is not still being polled. */
    private void round() {
        if (!running) {
            return;
        }
        try {
            directory.refresh();
            sync();
            for (MediaServer server : directory.servers()) {
                ServerState state = states.get(server.id());
                if (state != null) {
                    enqueue(state);
                }
            }
            drain();
        } catch (RuntimeException e) {
            LOG.error("[cluster-monitor] Poll round failed: {}", e.toString(), e);
        }
    }

    /** Aligns the cache with the servers file; returns the new entries (new servers, or a new host or port). */
    private List<ServerState> sync() {
        List<ServerState> created = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (MediaServer server : directory.servers()) {
            ids.add(server.id());
            ServerState state = states.get(server.id());
            if (state == null || !state.server().sameEndpoint(server)) {
                state = new ServerState(server);
                states.put(server.id(), state);
                created.add(state);
            } else if (!state.server().equals(server)) {
                state.rename(server);
            }
        }
        states.keySet().retainAll(ids);
        watchdog.retain(ids);
        return created;
    }

    private void enqueue(ServerState state) {
        if (state.busy.compareAndSet(false, true)) {
            waiting.add(state);
        } else {
            LOG.debug("[cluster-monitor] {} is still being polled: this round skips it", state.server().label());
        }
    }

    /** Starts queued polls while slots are free. Called after queueing and after every finished poll. */
    private void drain() {
        while (!waiting.isEmpty() && permits.tryAcquire()) {
            ServerState state = waiting.poll();
            if (state == null) {
                permits.release();
                return;
            }
            poll(state);
        }
    }

    private void poll(ServerState state) {
        MediaServer server = state.server();
        if (!running || states.get(server.id()) != state) {
            state.busy.set(false);
            permits.release();
            return;
        }
        Instant at = Instant.now();
        long started = System.nanoTime();
        CompletableFuture<Answer> answer;
        try {
            answer = upstream.get(server.uri(settings.statusPath()), settings.pollTimeout());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((result, error) -> {
            try {
                finish(state, server, at, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), result, error);
            } catch (RuntimeException e) {
                LOG.error("[cluster-monitor] Recording the poll of {} failed: {}", server.label(), e.toString(), e);
            } finally {
                state.busy.set(false);
                permits.release();
                drain();
            }
        });
    }

    private void finish(ServerState state, MediaServer server, Instant at, long durationMs, Answer answer, Throwable error) {
        PollResult result = result(server, at, durationMs, answer, error);
        if (!running || states.get(server.id()) != state) {
            return; // removed, or moved to another host or port, while it was polled
        }
        String previous = state.record(result);
        if (result.ok()) {
            watchdog.observe(state, result.channels());
        } else {
            watchdog.lostContact(state);
        }
        transition(state, previous, result);
    }

    private PollResult result(MediaServer server, Instant at, long durationMs, Answer answer, Throwable error) {
        String request = "GET " + settings.statusPath();
        if (error != null) {
            Throwable cause = Failures.unwrap(error);
            if (cause instanceof UpstreamException upstream && upstream.failure() == Failure.TIMEOUT) {
                return failed(at, durationMs, ServerState.TIMEOUT, "No answer to " + request + " within "
                        + ClusterMonitorSettings.seconds(settings.pollTimeout()) + " s.");
            }
            String reason = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            return failed(at, durationMs, ServerState.UNREACHABLE, "Could not reach " + server.address() + " (" + reason + ").");
        }
        if (answer.status() < 200 || answer.status() > 299) {
            return failed(at, durationMs, ServerState.ERROR, "Answered HTTP " + answer.status() + " to " + request
                    + RestartService.reason(answer) + ".");
        }
        if (answer.truncated()) {
            return failed(at, durationMs, ServerState.ERROR, "The answer to " + request + " is larger than "
                    + Upstream.MAX_BODY_BYTES / (1024 * 1024) + " MiB.");
        }
        try {
            JsonNode json = MAPPER.readTree(answer.body());
            StatusParser.Parsed parsed = StatusParser.parse(json, settings::isUpState);
            return new PollResult(at, durationMs, ServerState.OK, parsed.cpu(), parsed.channels(), null);
        } catch (JsonProcessingException e) {
            return failed(at, durationMs, ServerState.ERROR, "The answer to " + request + " is not JSON ("
                    + MediaServer.brief(String.valueOf(e.getOriginalMessage())) + ").");
        } catch (IOException e) {
            return failed(at, durationMs, ServerState.ERROR, "The answer to " + request + " could not be read ("
                    + e.getMessage() + ").");
        } catch (UnreadableStatusException e) {
            return failed(at, durationMs, ServerState.ERROR, "The answer to " + request + " " + e.getMessage() + ".");
        }
    }

    private static PollResult failed(Instant at, long durationMs, String state, String error) {
        return new PollResult(at, durationMs, state, null, List.of(), error);
    }

    /** Logs and publishes a change between answering and not answering (not every failed poll). */
    private void transition(ServerState state, String previous, PollResult result) {
        MediaServer server = state.server();
        boolean wasOk = ServerState.OK.equals(previous);
        boolean wasDown = !wasOk && !ServerState.PENDING.equals(previous);
        if (result.ok() && wasDown) {
            LOG.info("[cluster-monitor] Media server {} at {} answers again", server.label(), server.address());
            publish("cluster-monitor.server_up", server, result);
        } else if (!result.ok() && !wasDown) {
            LOG.warn("[cluster-monitor] Media server {} at {} is {}: {}", server.label(), server.address(),
                    describe(result.state()), result.error());
            publish("cluster-monitor.server_down", server, result);
        } else if (!result.ok() && !previous.equals(result.state())) {
            LOG.debug("[cluster-monitor] Media server {} is now {}: {}", server.label(), result.state(), result.error());
        }
    }

    private static String describe(String state) {
        switch (state) {
            case ServerState.TIMEOUT:
                return "not answering in time";
            case ServerState.UNREACHABLE:
                return "unreachable";
            default:
                return "failing";
        }
    }

    private void publish(String name, MediaServer server, PollResult result) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("server_id", server.id());
        data.put("name", server.name());
        data.put("state", result.state());
        if (result.error() != null) {
            data.put("error", result.error());
        }
        try {
            events.publish(new Event(name, null, data, result.at()));
        } catch (RuntimeException e) {
            LOG.debug("[cluster-monitor] Event {} not published: {}", name, e.toString());
        }
    }
}
