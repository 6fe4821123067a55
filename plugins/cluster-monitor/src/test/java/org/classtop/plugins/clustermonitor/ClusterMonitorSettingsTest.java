package org.classtop.plugins.clustermonitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterMonitorSettingsTest {
    private static final Path DATA = Path.of("data").toAbsolutePath();

    private static ClusterMonitorSettings settings(Map<String, String> values) {
        return new ClusterMonitorSettings(name -> Optional.ofNullable(values.get(name)), DATA);
    }

    @Test
    void defaults() {
        ClusterMonitorSettings s = settings(Map.of());
        assertEquals(Duration.ofSeconds(5), s.pollInterval());
        assertEquals(4, s.pollConcurrency());
        assertEquals(Duration.ofSeconds(3), s.pollTimeout());
        assertEquals(Duration.ofSeconds(10), s.restartTimeout());
        assertEquals(DATA.resolve("servers.json"), s.serversFile());
        assertEquals("/status", s.statusPath());
        assertEquals("/channels/{channel_id}/stop", s.stopPath());
        assertEquals("/channels/{channel_id}/start", s.startPath());
        assertFalse(s.watchdogEnabled(), "the watchdog is off unless switched on");
        assertEquals(3, s.watchdogDownPolls());
        assertEquals(3, s.watchdogMaxRestartsPerHour());
        assertTrue(s.isUpState("Running") && s.isUpState("OK") && !s.isUpState("stopped") && !s.isUpState(null));
    }

    @Test
    void readsValuesWithDecimalSeconds() {
        ClusterMonitorSettings s = settings(Map.of("POLL_INTERVAL", "0.2", "POLL_CONCURRENCY", "2", "POLL_TIMEOUT", "1.5",
                "SERVERS_FILE", "conf/media.json", "STOP_PATH", "/api/ch/{channel_id}/halt", "WATCHDOG_ENABLED", "yes",
                "WATCHDOG_DOWN_POLLS", "5", "WATCHDOG_MAX_RESTARTS_PER_HOUR", "0"));
        assertEquals(Duration.ofMillis(200), s.pollInterval());
        assertEquals(2, s.pollConcurrency());
        assertEquals(Duration.ofMillis(1500), s.pollTimeout());
        assertEquals(DATA.resolve("conf/media.json"), s.serversFile(), "a relative path is inside the data folder");
        assertEquals("/api/ch/{channel_id}/halt", s.stopPath());
        assertTrue(s.watchdogEnabled());
        assertEquals(5, s.watchdogDownPolls());
        assertEquals(0, s.watchdogMaxRestartsPerHour());
        assertEquals(1.5, ClusterMonitorSettings.seconds(s.pollTimeout()));
        assertEquals(5L, ClusterMonitorSettings.seconds(Duration.ofSeconds(5)));
    }

    @Test
    void badValuesFallBackToTheDefaults() {
        ClusterMonitorSettings s = settings(Map.of("POLL_INTERVAL", "fast", "POLL_CONCURRENCY", "0", "POLL_TIMEOUT", "-3",
                "RESTART_TIMEOUT", "NaN", "STOP_PATH", "channels/stop", "START_PATH", "http://other/start",
                "WATCHDOG_ENABLED", "maybe", "WATCHDOG_DOWN_POLLS", "2.5", "UP_STATES", " , ,"));
        assertEquals(Duration.ofSeconds(5), s.pollInterval());
        assertEquals(4, s.pollConcurrency());
        assertEquals(Duration.ofSeconds(3), s.pollTimeout());
        assertEquals(Duration.ofSeconds(10), s.restartTimeout());
        assertEquals("/channels/{channel_id}/stop", s.stopPath());
        assertEquals("/channels/{channel_id}/start", s.startPath());
        assertFalse(s.watchdogEnabled());
        assertEquals(3, s.watchdogDownPolls());
        assertTrue(s.isUpState("running"));
    }
}
