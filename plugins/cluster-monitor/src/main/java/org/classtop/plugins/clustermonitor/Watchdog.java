package org.classtop.plugins.clustermonitor;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.classtop.api.server.ApiException;
import org.classtop.plugins.clustermonitor.StatusParser.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts a channel that a server has reported down ({@code state} not one of {@code UP_STATES}) for
 * {@code WATCHDOG_DOWN_POLLS} polls in a row, through the same restart as a person's (recorded with trigger
 * {@code watchdog}), at most {@code WATCHDOG_MAX_RESTARTS_PER_HOUR} times per channel in any rolling hour
 * (counted from the restart history, so a restart of ClassTop does not reset the cap). Off unless
 * {@code WATCHDOG_ENABLED}. A poll that gets no status resets the count: the watchdog only acts on what a
 * server says about its channels. A channel without a state is never counted as down.
 */
@Singleton
public final class Watchdog {
    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    static final Duration WINDOW = Duration.ofHours(1);

    /** One channel the watchdog watches: how long it has been down and what it did about it. */
    public record ChannelView(String serverId, String channelId, int consecutiveDownPolls, int restartsThisHour,
                              Instant nextRestartAllowedAt) {
    }

    /** The data of {@code GET /api/servers/watchdog}. */
    public record WatchdogView(boolean enabled, int downPolls, int maxRestartsPerHour, int restartsThisHour,
                               List<ChannelView> channels) {
    }

    private final ClusterMonitorSettings settings;
    private final RestartService restarts;
    private final RestartLog log;
    /** Start times of the watchdog's restarts within the last hour, per server and channel. */
    private final Map<Key, Deque<Instant>> recent = new HashMap<>();
    /** Until when a "cap reached" warning was logged, per channel (one warning per cap period). */
    private final Map<Key, Instant> warnedUntil = new HashMap<>();

    private record Key(String serverId, String channelId) {
    }

    @Inject
    public Watchdog(ClusterMonitorSettings settings, RestartService restarts, RestartLog log) {
        this.settings = settings;
        this.restarts = restarts;
        this.log = log;
    }

    /** Reads the last hour's watchdog restarts from the history, so that the cap survives a restart of ClassTop. */
    void load() {
        if (!settings.watchdogEnabled()) {
            return;
        }
        try {
            List<RestartRecord> lastHour = log.watchdogSince(Instant.now().minus(WINDOW));
            synchronized (this) {
                for (RestartRecord record : lastHour) {
                    recent.computeIfAbsent(new Key(record.serverId(), record.channelId()), k -> new ArrayDeque<>())
                            .addLast(record.startedAt());
                }
            }
        } catch (Exception e) {
            LOG.warn("[cluster-monitor] The watchdog could not read the last hour's restarts ({}); it counts from now",
                    e.toString());
        }
    }

    /** After a poll that got a status: counts down polls and restarts what has been down long enough. */
    void observe(ServerState state, List<Channel> channels) {
        Map<String, Integer> downPolls = state.countDownPolls(channels);
        if (!settings.watchdogEnabled() || downPolls.isEmpty()) {
            return;
        }
        MediaServer server = state.server();
        for (Channel channel : channels) {
            Integer count = downPolls.get(channel.id());
            if (count != null && count >= settings.watchdogDownPolls()) {
                act(state, server, channel, count);
            }
        }
    }

    /** After a poll that got no status. */
    void lostContact(ServerState state) {
        state.clearDownPolls();
    }

    private void act(ServerState state, MediaServer server, Channel channel, int count) {
        if (restarts.isRestarting(server.id(), channel.id())) {
            return;
        }
        Key key = new Key(server.id(), channel.id());
        Instant now = Instant.now();
        int used;
        synchronized (this) {
            Deque<Instant> times = prune(recent.computeIfAbsent(key, k -> new ArrayDeque<>()), now);
            used = times.size();
            if (used >= settings.watchdogMaxRestartsPerHour()) {
                Instant allowedAt = (times.isEmpty() ? now.plus(WINDOW) : times.peekFirst().plus(WINDOW))
                        .truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
                Instant warned = warnedUntil.get(key);
                if (warned == null || !warned.isAfter(now)) {
                    warnedUntil.put(key, allowedAt);
                    LOG.warn("[cluster-monitor] Watchdog: channel '{}' of media server {} has reported '{}' for {} polls "
                            + "in a row, but it was already restarted {} time(s) in the last hour (the cap); it is left "
                            + "alone until {}", channel.id(), server.label(), channel.state(), count, used, allowedAt);
                }
                return;
            }
            times.addLast(now);
        }
        state.resetDownPolls(channel.id());
        LOG.warn("[cluster-monitor] Watchdog: channel '{}' of media server {} has reported '{}' for {} polls in a row; "
                + "restarting it ({} of at most {} this hour)", channel.id(), server.label(), channel.state(), count,
                used + 1, settings.watchdogMaxRestartsPerHour());
        try {
            restarts.restart(server.id(), channel.id(), RestartRecord.WATCHDOG, RestartRecord.WATCHDOG)
                    .exceptionally(error -> null); // the outcome is logged and recorded by the restart itself
        } catch (ApiException e) {
            // Not started (the server was removed meanwhile, or a person is restarting it): not counted.
            synchronized (this) {
                Deque<Instant> times = recent.get(key);
                if (times != null) {
                    times.removeLastOccurrence(now);
                }
            }
            LOG.info("[cluster-monitor] Watchdog: channel '{}' of media server {} was not restarted: {}", channel.id(),
                    server.label(), e.getMessage());
        }
    }

    private static Deque<Instant> prune(Deque<Instant> times, Instant now) {
        Instant cutoff = now.minus(WINDOW);
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.removeFirst();
        }
        return times;
    }

    /** Drops what it knows about servers that are no longer monitored. */
    synchronized void retain(java.util.Set<String> serverIds) {
        recent.keySet().removeIf(key -> !serverIds.contains(key.serverId()));
        warnedUntil.keySet().removeIf(key -> !serverIds.contains(key.serverId()));
    }

    WatchdogView view(Map<String, ServerState> states) {
        Instant now = Instant.now();
        Map<Key, Integer> downPolls = new HashMap<>();
        states.forEach((id, state) -> state.downPolls().forEach((channel, count) -> downPolls.put(new Key(id, channel), count)));
        List<ChannelView> channels = new ArrayList<>();
        int total = 0;
        synchronized (this) {
            for (Iterator<Map.Entry<Key, Deque<Instant>>> it = recent.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Key, Deque<Instant>> entry = it.next();
                Deque<Instant> times = prune(entry.getValue(), now);
                if (times.isEmpty()) {
                    it.remove();
                    continue;
                }
                total += times.size();
                Instant allowed = times.size() >= settings.watchdogMaxRestartsPerHour() ? times.peekFirst().plus(WINDOW) : null;
                channels.add(new ChannelView(entry.getKey().serverId(), entry.getKey().channelId(),
                        downPolls.getOrDefault(entry.getKey(), 0), times.size(), allowed));
            }
        }
        downPolls.forEach((key, count) -> {
            if (channels.stream().noneMatch(c -> c.serverId().equals(key.serverId()) && c.channelId().equals(key.channelId()))) {
                channels.add(new ChannelView(key.serverId(), key.channelId(), count, 0, null));
            }
        });
        channels.sort(Comparator.comparing(ChannelView::serverId).thenComparing(ChannelView::channelId));
        return new WatchdogView(settings.watchdogEnabled(), settings.watchdogDownPolls(),
                settings.watchdogMaxRestartsPerHour(), total, channels);
    }
}
