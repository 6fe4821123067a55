package org.classtop.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.classtop.core.config.ServerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --plugin-start-timeout} / {@code CLASSTOP_PLUGIN_START_TIMEOUT}: a duration, 30 s when not given. */
class PluginStartTimeoutFlagTest {
    private static ServerConfig resolve(Map<String, String> env, String... args) {
        Main main = new Main();
        new CommandLine(main).parseArgs(args);
        return main.resolve(env);
    }

    @Test
    void theFlagBeatsTheVariableAndTheDefaultIs30Seconds() {
        assertEquals(Duration.ofSeconds(30), resolve(Map.of("CLASSTOP_CONFIG", "/nonexistent")).pluginStartTimeout());
        assertEquals(Duration.ofMinutes(2), resolve(Map.of("CLASSTOP_CONFIG", "/nonexistent",
                "CLASSTOP_PLUGIN_START_TIMEOUT", "2m")).pluginStartTimeout());
        assertEquals(Duration.ofSeconds(5), resolve(Map.of("CLASSTOP_CONFIG", "/nonexistent",
                "CLASSTOP_PLUGIN_START_TIMEOUT", "2m"), "--plugin-start-timeout", "5").pluginStartTimeout());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> resolve(Map.of("CLASSTOP_CONFIG", "/nonexistent"), "--plugin-start-timeout", "0"));
        assertEquals("--plugin-start-timeout must be a duration between 1ms and 1h, such as 30s or 2m, not '0'.",
                bad.getMessage());
    }
}
