package org.classtop.plugins.clustermonitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.classtop.plugins.clustermonitor.StatusParser.Channel;

/**
 * What the monitor knows about one server (one host and port): the latest poll result, the last
 * answer, the last error and a short history. Written by the poller, read by the API; every view is an
 * immutable copy, so a reader never waits for the network.
 */
final class ServerState {
    static final int HISTORY_POINTS = 60;

    /** The state of a server as the last poll found it. */
    static final String PENDING = "pending";
    static final String OK = "ok";
    static final String ERROR = "error";
    static final String TIMEOUT = "timeout";
    static final String UNREACHABLE = "unreachable";

    /** One poll in the history: when, the state, the CPU figure and how many channels were up. */
    public record HistoryPoint(Instant at, String state, Double cpu, int channelsUp, int channelsTotal) {
    }

    /**
     * The cached status of a server (the data of {@code GET /api/servers/{id}/status}).
     *
     * @param state       {@code pending} (not polled yet), {@code ok}, {@code error} (answered, but not a
     *                    usable status), {@code timeout} or {@code unreachable}
     * @param healthy     answered and no channel reports a down state
     * @param stale       the CPU and channels are from an earlier answer ({@code last_answer_at}), since the
     *                    last poll failed
     * @param stateSince  when the server entered its current state
     */
    public record StatusView(String serverId, String name, String state, boolean reachable, boolean healthy,
                             Double cpu, int channelsUp, int channelsTotal, List<Channel> channels, boolean stale,
                             Instant lastPollAt, Instant lastAnswerAt, Long lastPollDurationMs, String lastError,
                             Instant lastErrorAt, int consecutiveFailures, Instant stateSince, long polls,
                             @JsonInclude(JsonInclude.Include.NON_NULL) List<HistoryPoint> history) {
    }

    /** The outcome of a poll, to be recorded. */
    record PollResult(Instant at, long durationMs, String state, Double cpu, List<Channel> channels, String error) {
        boolean ok() {
            return OK.equals(state);
        }
    }

    private volatile MediaServer server;
    final AtomicBoolean busy = new AtomicBoolean();

    private String state = PENDING;
    private Double cpu;
    private List<Channel> channels = List.of();
    private Instant lastPollAt;
    private Instant lastAnswerAt;
    private Long lastPollDurationMs;
    private String lastError;
    private Instant lastErrorAt;
    private int consecutiveFailures;
    private Instant stateSince = Instant.now();
    private long polls;
    private final ArrayDeque<HistoryPoint> history = new ArrayDeque<>(HISTORY_POINTS);
    private final Map<String, Integer> downStreaks = new HashMap<>();

    ServerState(MediaServer server) {
        this.server = server;
    }

    MediaServer server() {
        return server;
    }

    /** A new name or new extra fields of the same endpoint. */
    void rename(MediaServer renamed) {
        this.server = renamed;
    }

    /**
     * Records a poll.
     *
     * @return the previous state
     */
    synchronized String record(PollResult result) {
        String previous = state;
        polls++;
        lastPollAt = result.at();
        lastPollDurationMs = result.durationMs();
        if (!previous.equals(result.state())) {
            stateSince = result.at();
        }
        state = result.state();
        if (result.ok()) {
            cpu = result.cpu();
            channels = List.copyOf(result.channels());
            lastAnswerAt = result.at();
            consecutiveFailures = 0;
        } else {
            consecutiveFailures++;
            lastError = result.error();
            lastErrorAt = result.at();
        }
        if (history.size() == HISTORY_POINTS) {
            history.removeFirst();
        }
        history.addLast(result.ok()
                ? new HistoryPoint(result.at(), state, cpu, up(channels), channels.size())
                : new HistoryPoint(result.at(), state, null, 0, 0));
        return previous;
    }

    synchronized String state() {
        return state;
    }

    synchronized String lastError() {
        return lastError;
    }

    synchronized Instant stateSince() {
        return stateSince;
    }

    synchronized long polls() {
        return polls;
    }

    synchronized List<HistoryPoint> history() {
        return List.copyOf(history);
    }

    synchronized StatusView view(boolean withHistory) {
        boolean ok = OK.equals(state);
        boolean anyDown = channels.stream().anyMatch(c -> Boolean.FALSE.equals(c.up()));
        MediaServer current = server;
        return new StatusView(current.id(), current.name(), state, ok, ok && !anyDown, cpu, up(channels), channels.size(),
                channels, !ok && lastAnswerAt != null, lastPollAt, lastAnswerAt, lastPollDurationMs, lastError,
                lastErrorAt, consecutiveFailures, stateSince, polls, withHistory ? List.copyOf(history) : null);
    }

    /** A server listed but not polled yet. */
    static StatusView pending(MediaServer server, boolean withHistory) {
        return new ServerState(server).view(withHistory);
    }

    // The watchdog's count of consecutive polls that reported each channel down.

    /** Counts one more poll for each channel: +1 when down, reset otherwise; channels gone are forgotten. */
    synchronized Map<String, Integer> countDownPolls(List<Channel> reported) {
        Map<String, Integer> next = new HashMap<>();
        for (Channel channel : reported) {
            if (Boolean.FALSE.equals(channel.up())) {
                next.put(channel.id(), downStreaks.getOrDefault(channel.id(), 0) + 1);
            }
        }
        downStreaks.clear();
        downStreaks.putAll(next);
        return Map.copyOf(next);
    }

    synchronized void resetDownPolls(String channelId) {
        downStreaks.remove(channelId);
    }

    synchronized void clearDownPolls() {
        downStreaks.clear();
    }

    synchronized Map<String, Integer> downPolls() {
        return Map.copyOf(downStreaks);
    }

    static int up(List<Channel> channels) {
        int up = 0;
        for (Channel channel : channels) {
            if (Boolean.TRUE.equals(channel.up())) {
                up++;
            }
        }
        return up;
    }
}
