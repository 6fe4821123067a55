package org.classtop.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MainConfigTest {
    private static ConfigResolver resolver(Map<String, String> flags, Map<String, String> env, Map<String, String> file) {
        Properties properties = new Properties();
        properties.putAll(file);
        return new ConfigResolver(flags, env, properties);
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() {
        assertEquals(1, resolver(Map.of("port", "1"), Map.of("CLASSTOP_PORT", "2"), Map.of("port", "3"))
                .integer("port", "CLASSTOP_PORT", 8000, 0, 65535));
        assertEquals(2, resolver(Map.of(), Map.of("CLASSTOP_PORT", "2"), Map.of("port", "3"))
                .integer("port", "CLASSTOP_PORT", 8000, 0, 65535));
        assertEquals(3, resolver(Map.of(), Map.of(), Map.of("port", "3")).integer("port", "CLASSTOP_PORT", 8000, 0, 65535));
        assertEquals(8000, resolver(Map.of(), Map.of(), Map.of()).integer("port", "CLASSTOP_PORT", 8000, 0, 65535));
    }

    @Test
    void badValuesGiveOneSentenceNamingTheFlag() {
        IllegalArgumentException notNumber = assertThrows(IllegalArgumentException.class,
                () -> resolver(Map.of("port", "eighty"), Map.of(), Map.of()).integer("port", "CLASSTOP_PORT", 8000, 0, 65535));
        assertEquals("--port must be a number, not 'eighty'.", notNumber.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> resolver(Map.of("port", "70000"), Map.of(), Map.of()).integer("port", "CLASSTOP_PORT", 8000, 0, 65535));
        assertTrue(range.getMessage().contains("between 0 and 65535"));
        IllegalArgumentException choice = assertThrows(IllegalArgumentException.class,
                () -> resolver(Map.of("enrollment", "maybe"), Map.of(), Map.of())
                        .choice("enrollment", "CLASSTOP_ENROLLMENT", ServerConfig.EnrollmentMode.class, ServerConfig.EnrollmentMode.APPROVE));
        assertEquals("--enrollment must be one of token, approve, open, not 'maybe'.", choice.getMessage());
    }

    @Test
    void pluginSettingsOfTheFileAreKeptForPlugins() {
        assertEquals(Map.of("cluster-monitor.poll-interval", "5"),
                resolver(Map.of(), Map.of(), Map.of("cluster-monitor.poll-interval", "5", "port", "1")).dottedFileEntries());
    }
}
