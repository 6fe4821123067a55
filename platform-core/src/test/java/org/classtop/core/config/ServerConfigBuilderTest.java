package org.classtop.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigBuilderTest {
    private final Path data = Path.of("data");

    @Test
    void defaultsAreThoseOfAServerStartedWithoutFlags() {
        ServerConfig config = ServerConfig.builder(data).build();
        assertEquals(8000, config.port());
        assertEquals("0.0.0.0", config.bind());
        assertEquals(data.resolve("plugins"), config.pluginsDir());
        assertEquals(ServerRole.LMS, config.role());
        assertEquals(ServerConfig.EnrollmentMode.APPROVE, config.enrollment());
        assertEquals(ServerConfig.Tls.NONE, config.tls());
        assertEquals(ServerConfig.AgentLimits.DEFAULTS, config.limits());
    }

    @Test
    void toBuilderKeepsEveryValueButTheOnesChanged() {
        ServerConfig original = ServerConfig.builder(data).role(ServerRole.MANAGEMENT).managementToken("m")
                .heartbeatInterval(Duration.ofSeconds(5)).pluginConfig(Map.of("settings.x", "1")).build();

        assertEquals(original, original.toBuilder().build());
        ServerConfig changed = original.toBuilder().port(9000).build();
        assertEquals(9000, changed.port());
        assertEquals(ServerRole.MANAGEMENT, changed.role());
        assertEquals("m", changed.managementToken());
        assertEquals(Duration.ofSeconds(5), changed.heartbeatInterval());
    }

    @Test
    void pluginSettingsAreCopiedAndReadOnly() {
        Map<String, String> settings = new HashMap<>(Map.of("settings.x", "1"));
        ServerConfig config = ServerConfig.forTests(data).toBuilder().pluginConfig(settings).build();
        settings.put("settings.y", "2");
        assertEquals(Map.of("settings.x", "1"), config.pluginConfig());
        assertThrows(UnsupportedOperationException.class, () -> config.pluginConfig().put("a.b", "c"));
    }
}
