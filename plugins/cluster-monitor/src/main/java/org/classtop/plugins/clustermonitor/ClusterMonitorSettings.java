package org.classtop.plugins.clustermonitor;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.classtop.api.PluginContext;
import org.classtop.api.SettingType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin's configuration, read once through {@link PluginContext#config(String)}: a value an admin set on
 * the Plugins page (the settings {@link ClusterMonitorServerPlugin} declares; changing one restarts the
 * plugin), then the environment variable {@code NAME}, then {@code cluster-monitor.NAME} in
 * {@code conf/classtop.properties}. A value that cannot be used is logged as a warning naming the variable,
 * and the default applies. Durations are seconds ({@code 1.5}) or a duration ({@code 1500ms}, {@code 2m}).
 *
 * <table>
 * <tr><th>name</th><th>default</th><th>meaning</th></tr>
 * <tr><td>POLL_INTERVAL</td><td>5</td><td>seconds between two polls of a server (decimals allowed)</td></tr>
 * <tr><td>POLL_CONCURRENCY</td><td>4</td><td>status requests in flight at once, over all servers</td></tr>
 * <tr><td>POLL_TIMEOUT</td><td>3</td><td>seconds a status request may take (connect + answer)</td></tr>
 * <tr><td>RESTART_TIMEOUT</td><td>10</td><td>seconds the stop, and then the start, of a restart may take each</td></tr>
 * <tr><td>SERVERS_FILE</td><td>{@code <data>/servers.json}</td><td>the list of servers; a relative path is
 * resolved against the data folder</td></tr>
 * <tr><td>STATUS_PATH</td><td>/status</td><td>GET on each server for its status</td></tr>
 * <tr><td>STOP_PATH, START_PATH</td><td>/channels/{channel_id}/stop, /start</td><td>POSTed for a restart</td></tr>
 * <tr><td>UP_STATES</td><td>running,up,ok,online,active</td><td>channel states that count as up (any case)</td></tr>
 * <tr><td>WATCHDOG_ENABLED</td><td>false</td><td>restart channels that stay down</td></tr>
 * <tr><td>WATCHDOG_DOWN_POLLS</td><td>3</td><td>consecutive polls reporting a channel down before the watchdog acts</td></tr>
 * <tr><td>WATCHDOG_MAX_RESTARTS_PER_HOUR</td><td>3</td><td>watchdog restarts per channel in any rolling hour</td></tr>
 * </table>
 */
@Singleton
public final class ClusterMonitorSettings {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMonitorSettings.class);

    static final String CHANNEL_PLACEHOLDER = "{channel_id}";

    private final Duration pollInterval;
    private final int pollConcurrency;
    private final Duration pollTimeout;
    private final Duration restartTimeout;
    private final Path serversFile;
    private final String statusPath;
    private final String stopPath;
    private final String startPath;
    private final Set<String> upStates;
    private final boolean watchdogEnabled;
    private final int watchdogDownPolls;
    private final int watchdogMaxRestartsPerHour;

    @Inject
    public ClusterMonitorSettings(PluginContext plugin) {
        this(plugin::config, dataFolder(plugin));
    }

    /** Settings from any source of {@code NAME -> value} (tests, tools); {@code dataFolder} is the platform's data folder. */
    ClusterMonitorSettings(Function<String, Optional<String>> source, Path dataFolder) {
        Reader read = new Reader(source);
        pollInterval = read.seconds("POLL_INTERVAL", 5, 0.05, 86_400);
        pollConcurrency = read.integer("POLL_CONCURRENCY", 4, 1, 1_000);
        pollTimeout = read.seconds("POLL_TIMEOUT", 3, 0.05, 3_600);
        restartTimeout = read.seconds("RESTART_TIMEOUT", 10, 0.05, 3_600);
        serversFile = read.path("SERVERS_FILE", dataFolder, "servers.json");
        statusPath = read.urlPath("STATUS_PATH", "/status", false);
        stopPath = read.urlPath("STOP_PATH", "/channels/" + CHANNEL_PLACEHOLDER + "/stop", true);
        startPath = read.urlPath("START_PATH", "/channels/" + CHANNEL_PLACEHOLDER + "/start", true);
        upStates = read.words("UP_STATES", "running,up,ok,online,active");
        watchdogEnabled = read.bool("WATCHDOG_ENABLED", false);
        watchdogDownPolls = read.integer("WATCHDOG_DOWN_POLLS", 3, 1, 10_000);
        watchdogMaxRestartsPerHour = read.integer("WATCHDOG_MAX_RESTARTS_PER_HOUR", 3, 0, 10_000);
    }

    /** The platform's data folder: the parent of {@code <data>/plugins/<id>}. */
    private static Path dataFolder(PluginContext plugin) {
        Path own = plugin.dataDir().toAbsolutePath();
        Path plugins = own.getParent();
        return plugins != null && plugins.getParent() != null ? plugins.getParent() : own;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    public int pollConcurrency() {
        return pollConcurrency;
    }

    public Duration pollTimeout() {
        return pollTimeout;
    }

    public Duration restartTimeout() {
        return restartTimeout;
    }

    public Path serversFile() {
        return serversFile;
    }

    public String statusPath() {
        return statusPath;
    }

    public String stopPath() {
        return stopPath;
    }

    public String startPath() {
        return startPath;
    }

    public boolean watchdogEnabled() {
        return watchdogEnabled;
    }

    public int watchdogDownPolls() {
        return watchdogDownPolls;
    }

    public int watchdogMaxRestartsPerHour() {
        return watchdogMaxRestartsPerHour;
    }

    /** True when a channel in {@code state} counts as up (case-insensitive). */
    public boolean isUpState(String state) {
        return state != null && upStates.contains(state.trim().toLowerCase(Locale.ROOT));
    }

    public Set<String> upStates() {
        return upStates;
    }

    /** The settings as shown by {@code GET /api/servers/config}. */
    Map<String, Object> describe() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("poll_interval_seconds", seconds(pollInterval));
        view.put("poll_concurrency", pollConcurrency);
        view.put("poll_timeout_seconds", seconds(pollTimeout));
        view.put("restart_timeout_seconds", seconds(restartTimeout));
        view.put("status_path", statusPath);
        view.put("stop_path", stopPath);
        view.put("start_path", startPath);
        view.put("up_states", upStates);
        return view;
    }

    /** {@code 1.5} for 1500 ms, {@code 5} for 5 s. */
    static Number seconds(Duration duration) {
        BigDecimal value = BigDecimal.valueOf(duration.toMillis()).movePointLeft(3).stripTrailingZeros();
        return value.scale() <= 0 ? (Number) value.longValue() : (Number) value.doubleValue();
    }

    @Override
    public String toString() {
        return "poll every " + seconds(pollInterval) + " s, " + pollConcurrency + " at once, timeout "
                + seconds(pollTimeout) + " s; restart timeout " + seconds(restartTimeout) + " s; servers file "
                + serversFile + "; watchdog " + (watchdogEnabled ? "on (" + watchdogDownPolls + " down polls, at most "
                + watchdogMaxRestartsPerHour + " restarts per channel per hour)" : "off");
    }

    /** Reads one value at a time; every refusal is one warning naming the variable and the default used. */
    private static final class Reader {
        private final Function<String, Optional<String>> source;

        Reader(Function<String, Optional<String>> source) {
            this.source = source;
        }

        private Optional<String> raw(String name) {
            try {
                return source.apply(name).map(String::trim).filter(v -> !v.isEmpty());
            } catch (RuntimeException e) {
                LOG.warn("[cluster-monitor] {} could not be read ({}); using the default", name, e.toString());
                return Optional.empty();
            }
        }

        private void refuse(String name, String value, String expected, Object fallback) {
            LOG.warn("[cluster-monitor] {}={} is not valid: it must be {}; using the default {}", name, value, expected,
                    fallback);
        }

        Duration seconds(String name, double fallback, double min, double max) {
            Duration defaultValue = Duration.ofMillis(Math.round(fallback * 1000));
            Optional<String> value = raw(name);
            if (value.isEmpty()) {
                return defaultValue;
            }
            String expected = "a number of seconds between " + plain(min) + " and " + plain(max)
                    + " (or a duration such as 30s or 250ms)";
            try {
                double parsed = secondsOf(value.get());
                if (!Double.isFinite(parsed) || parsed < min || parsed > max) {
                    refuse(name, value.get(), expected, plain(fallback));
                    return defaultValue;
                }
                return Duration.ofMillis(Math.max(1, Math.round(parsed * 1000)));
            } catch (NumberFormatException e) {
                refuse(name, value.get(), expected, plain(fallback));
                return defaultValue;
            }
        }

        /** {@code 1.5} (seconds), or a duration as the Plugins page takes it: {@code 1500ms}, {@code 2m}, {@code PT3S}. */
        private static double secondsOf(String value) {
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                try {
                    return SettingType.parseDuration(value).toNanos() / 1e9;
                } catch (IllegalArgumentException | ArithmeticException notADuration) {
                    throw e;
                }
            }
        }

        int integer(String name, int fallback, int min, int max) {
            Optional<String> value = raw(name);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value.get());
                if (parsed >= min && parsed <= max) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            refuse(name, value.get(), "a whole number between " + min + " and " + max, fallback);
            return fallback;
        }

        boolean bool(String name, boolean fallback) {
            Optional<String> value = raw(name);
            if (value.isEmpty()) {
                return fallback;
            }
            switch (value.get().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1":
                    return true;
                case "false", "no", "off", "0":
                    return false;
                default:
                    refuse(name, value.get(), "true or false", fallback);
                    return fallback;
            }
        }

        Path path(String name, Path base, String fallback) {
            Path defaultValue = base.resolve(fallback).normalize();
            Optional<String> value = raw(name);
            if (value.isEmpty()) {
                return defaultValue;
            }
            try {
                return base.resolve(value.get()).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                refuse(name, value.get(), "a file path", defaultValue);
                return defaultValue;
            }
        }

        String urlPath(String name, String fallback, boolean wantsChannel) {
            Optional<String> value = raw(name);
            if (value.isEmpty()) {
                return fallback;
            }
            String path = value.get();
            boolean valid = path.startsWith("/") && !path.startsWith("//") && path.chars().noneMatch(
                    c -> c <= ' ' || c == '#' || c == '\\' || c == '"' || c == '<' || c == '>' || c == 127);
            if (!valid) {
                refuse(name, path, "a URL path starting with / (no spaces, no host)", fallback);
                return fallback;
            }
            if (wantsChannel && !path.contains(CHANNEL_PLACEHOLDER)) {
                LOG.warn("[cluster-monitor] {}={} has no {} placeholder: every channel of a server gets the same request",
                        name, path, CHANNEL_PLACEHOLDER);
            }
            return path;
        }

        Set<String> words(String name, String fallback) {
            Optional<String> value = raw(name);
            Set<String> words = value.map(Reader::split).orElseGet(Set::of);
            if (words.isEmpty()) {
                if (value.isPresent()) {
                    refuse(name, value.get(), "a comma-separated list of channel states", fallback);
                }
                words = split(fallback);
            }
            return Collections.unmodifiableSet(words);
        }

        private static Set<String> split(String text) {
            Set<String> words = new LinkedHashSet<>();
            for (String word : text.split(",")) {
                String trimmed = word.trim().toLowerCase(Locale.ROOT);
                if (!trimmed.isEmpty()) {
                    words.add(trimmed);
                }
            }
            return words;
        }

        private static String plain(double value) {
            return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        }
    }
}
