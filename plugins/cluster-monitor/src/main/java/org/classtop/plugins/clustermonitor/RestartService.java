package org.classtop.plugins.clustermonitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.classtop.api.Failures;
import org.classtop.api.Event;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.Events;
import org.classtop.plugins.clustermonitor.Upstream.Answer;
import org.classtop.plugins.clustermonitor.Upstream.Failure;
import org.classtop.plugins.clustermonitor.Upstream.UpstreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts a channel: POST the stop path, and only when that succeeded (2xx) POST the start path, each
 * bounded by {@code RESTART_TIMEOUT}. One restart per channel at a time. Every attempt that reached the
 * network is kept in the restart history with its outcome, then answered:
 * 502 {@code UPSTREAM_FAILED} (the server answered a non-2xx status, named in the sentence),
 * 502 {@code UPSTREAM_UNREACHABLE}, or 504 {@code UPSTREAM_TIMEOUT}.
 */
@Singleton
public final class RestartService {
    private static final Logger LOG = LoggerFactory.getLogger(RestartService.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final int MAX_CHANNEL_ID = 200;

    private final ClusterMonitorSettings settings;
    private final ServerDirectory directory;
    private final Upstream upstream;
    private final RestartLog log;
    private final Events events;
    private final Set<String> inProgress = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastStart = new AtomicLong();

    @Inject
    public RestartService(ClusterMonitorSettings settings, ServerDirectory directory, Upstream upstream, RestartLog log,
                          Events events) {
        this.settings = settings;
        this.directory = directory;
        this.upstream = upstream;
        this.log = log;
        this.events = events;
    }

    /** The outcome of one POST: an answer (any status) or no answer. */
    private record Step(Answer answer, UpstreamException failure) {
        boolean ok() {
            return answer != null && answer.status() >= 200 && answer.status() < 300;
        }

        Integer status() {
            return answer == null ? null : answer.status();
        }
    }

    /**
     * Restarts {@code channelId} on server {@code serverId}. Fails at once (before any request) with 404
     * {@code SERVER_NOT_FOUND}, 400 for an unusable channel id, or 409 {@code RESTART_IN_PROGRESS}; the
     * stage fails with the upstream errors above (after recording them).
     */
    public CompletableFuture<RestartRecord> restart(String serverId, String channelId, String trigger, String requestedBy) {
        MediaServer server = directory.require(serverId);
        checkChannel(channelId);
        String key = serverId + '\u0000' + channelId;
        if (!inProgress.add(key)) {
            throw ApiException.conflict("RESTART_IN_PROGRESS", "Channel '" + MediaServer.brief(channelId)
                    + "' of media server " + server.label() + " is being restarted already; wait for that to finish.");
        }
        try {
            Instant startedAt = nextStart();
            URI stop = server.uri(expand(settings.stopPath(), channelId));
            URI start = server.uri(expand(settings.startPath(), channelId));
            LOG.info("[cluster-monitor] Restarting channel '{}' of media server {} ({}, by {})", channelId,
                    server.label(), trigger, requestedBy);
            return step(stop)
                    .thenCompose(stopped -> stopped.ok()
                            ? step(start).thenApply(started -> outcome(server, channelId, trigger, requestedBy, startedAt,
                                    stopped, started))
                            : CompletableFuture.completedFuture(outcome(server, channelId, trigger, requestedBy, startedAt,
                                    stopped, null)))
                    .thenCompose(this::store)
                    .whenComplete((record, error) -> inProgress.remove(key))
                    .thenApply(record -> {
                        report(record);
                        if (!record.success()) {
                            throw new ApiException("UPSTREAM_TIMEOUT".equals(record.errorCode()) ? 504 : 502,
                                    record.errorCode(), record.error());
                        }
                        return record;
                    });
        } catch (RuntimeException e) {
            inProgress.remove(key);
            throw e;
        }
    }

    /** True while a restart of that channel is under way. */
    boolean isRestarting(String serverId, String channelId) {
        return inProgress.contains(serverId + '\u0000' + channelId);
    }

    private CompletableFuture<Step> step(URI uri) {
        return upstream.post(uri, settings.restartTimeout())
                .handle((answer, error) -> new Step(answer, error == null ? null : upstreamFailure(error)));
    }

    /** Writes the record; a failure to write is logged, never hides the restart's own outcome. */
    private CompletableFuture<RestartRecord> store(RestartRecord record) {
        CompletableFuture<RestartRecord> stored = new CompletableFuture<>();
        try {
            log.record(record).whenComplete((ignored, error) -> {
                if (error != null) {
                    LOG.error("[cluster-monitor] The restart of channel '{}' of server '{}' could not be written to the "
                            + "restart history: {}", record.channelId(), record.serverId(), unwrap(error).toString());
                }
                // Carry on on our own threads, not on the database's completion thread.
                try {
                    upstream.executor().execute(() -> stored.complete(record));
                } catch (RejectedExecutionException e) {
                    stored.complete(record);
                }
            });
        } catch (RuntimeException e) {
            LOG.error("[cluster-monitor] The restart of channel '{}' of server '{}' could not be written to the restart "
                    + "history: {}", record.channelId(), record.serverId(), e.toString());
            stored.complete(record);
        }
        return stored;
    }

    private RestartRecord outcome(MediaServer server, String channelId, String trigger, String requestedBy,
                                  Instant startedAt, Step stop, Step start) {
        Instant finishedAt = Instant.now();
        if (finishedAt.isBefore(startedAt)) {
            finishedAt = startedAt;
        }
        String channel = "channel '" + MediaServer.brief(channelId) + "'";
        String who = "Media server " + server.label();
        String failedStep = null;
        String code = null;
        String error = null;
        if (!stop.ok()) {
            failedStep = "stop";
            if (stop.answer() != null) {
                code = "UPSTREAM_FAILED";
                error = who + " answered " + stop.answer().status() + " to stop " + channel + reason(stop.answer())
                        + "; it was not started again.";
            } else if (stop.failure().failure() == Failure.TIMEOUT) {
                code = "UPSTREAM_TIMEOUT";
                error = who + " did not answer the stop of " + channel + " within "
                        + ClusterMonitorSettings.seconds(settings.restartTimeout()) + " s; the start was not sent.";
            } else {
                code = "UPSTREAM_UNREACHABLE";
                error = who + " at " + server.address() + " could not be reached to stop " + channel + " ("
                        + stop.failure().getMessage() + "); the start was not sent.";
            }
        } else if (!start.ok()) {
            failedStep = "start";
            if (start.answer() != null) {
                code = "UPSTREAM_FAILED";
                error = who + " stopped " + channel + " but answered " + start.answer().status() + " to start it"
                        + reason(start.answer()) + "; the channel may be stopped now.";
            } else if (start.failure().failure() == Failure.TIMEOUT) {
                code = "UPSTREAM_TIMEOUT";
                error = who + " stopped " + channel + " but did not answer the start within "
                        + ClusterMonitorSettings.seconds(settings.restartTimeout()) + " s; the channel may be stopped now.";
            } else {
                code = "UPSTREAM_UNREACHABLE";
                error = who + " stopped " + channel + " but could not be reached to start it ("
                        + start.failure().getMessage() + "); the channel may be stopped now.";
            }
        }
        return new RestartRecord(UUID.randomUUID().toString(), server.id(), server.name(), channelId, trigger, requestedBy,
                startedAt, finishedAt, finishedAt.toEpochMilli() - startedAt.toEpochMilli(), failedStep == null,
                failedStep, stop.status(), start == null ? null : start.status(), code, error);
    }

    private void report(RestartRecord record) {
        if (record.success()) {
            LOG.info("[cluster-monitor] Channel '{}' of media server '{}' restarted in {} ms ({})", record.channelId(),
                    record.serverId(), record.durationMs(), record.trigger());
        } else {
            LOG.warn("[cluster-monitor] Restart of channel '{}' of media server '{}' failed ({}): {}", record.channelId(),
                    record.serverId(), record.trigger(), record.error());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("restart_id", record.id());
        data.put("server_id", record.serverId());
        data.put("channel_id", record.channelId());
        data.put("trigger", record.trigger());
        data.put("success", record.success());
        if (record.error() != null) {
            data.put("error", record.error());
            data.put("code", record.errorCode());
        }
        try {
            events.publish(new Event(record.success() ? "cluster-monitor.channel_restarted"
                    : "cluster-monitor.channel_restart_failed", null, data, record.finishedAt()));
        } catch (RuntimeException e) {
            LOG.debug("[cluster-monitor] Event not published: {}", e.toString());
        }
    }

    /** " (the upstream's own words)" when its answer carries a short message, else "". */
    static String reason(Answer answer) {
        if (answer.body() == null || answer.body().length == 0 || answer.truncated()) {
            return "";
        }
        String message = null;
        try {
            JsonNode json = MAPPER.readTree(answer.body());
            if (json != null && json.isObject()) {
                for (String field : new String[]{"error", "detail", "message", "reason"}) {
                    JsonNode value = json.get(field);
                    if (value != null && value.isTextual() && !value.asText().isBlank()) {
                        message = value.asText();
                        break;
                    }
                }
            } else if (json != null && json.isTextual()) {
                message = json.asText();
            }
        } catch (IOException e) {
            String text = new String(answer.body(), StandardCharsets.UTF_8).trim();
            if (!text.isEmpty() && text.length() <= 200 && !text.contains("<") && text.lines().count() == 1) {
                message = text;
            }
        }
        if (message == null) {
            return "";
        }
        message = message.replaceAll("\\s+", " ").trim();
        if (message.endsWith(".")) {
            message = message.substring(0, message.length() - 1);
        }
        return message.isEmpty() ? "" : " (" + MediaServer.brief(message.length() > 160 ? message.substring(0, 160) + "…" : message) + ")";
    }

    /** Start times strictly increase, so the history's order is the order of the restarts. */
    private Instant nextStart() {
        long now = System.currentTimeMillis();
        return Instant.ofEpochMilli(lastStart.updateAndGet(last -> Math.max(now, last + 1)));
    }

    static void checkChannel(String channelId) {
        if (channelId == null || channelId.isBlank()) {
            throw ApiException.badRequest("The channel id must not be empty.");
        }
        if (channelId.length() > MAX_CHANNEL_ID || channelId.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("The channel id must be at most " + MAX_CHANNEL_ID
                    + " characters long, without control characters.");
        }
    }

    /** The path with {@code {channel_id}} replaced by the id, encoded as one path segment. */
    static String expand(String path, String channelId) {
        return path.replace(ClusterMonitorSettings.CHANNEL_PLACEHOLDER, encodeSegment(channelId));
    }

    static String encodeSegment(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static UpstreamException upstreamFailure(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof UpstreamException upstream) {
            return upstream;
        }
        LOG.warn("[cluster-monitor] Unexpected failure of an upstream request: {}", cause.toString());
        return new UpstreamException(Failure.UNREACHABLE, cause.getMessage() == null ? cause.toString() : cause.getMessage());
    }

    private static Throwable unwrap(Throwable error) {
        return Failures.unwrap(error);
    }
}
