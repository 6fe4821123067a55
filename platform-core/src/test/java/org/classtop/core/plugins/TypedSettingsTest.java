package org.classtop.core.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.classtop.api.PluginContext;
import org.classtop.pluginloader.DefaultPluginContext;
import org.junit.jupiter.api.Test;

/** PluginContext's typed settings: the forms each type accepts and the sentence for a bad value. */
class TypedSettingsTest {
    private static PluginContext context(Map<String, String> settings) {
        return new DefaultPluginContext("demo", "1.0", Path.of("unused"), name -> null, settings::get);
    }

    @Test
    void durationsInEveryAcceptedForm() {
        Map<String, Duration> forms = Map.of("30", Duration.ofSeconds(30), "0.5", Duration.ofMillis(500),
                "250ms", Duration.ofMillis(250), "30s", Duration.ofSeconds(30), "5m", Duration.ofMinutes(5),
                "2h", Duration.ofHours(2), "1d", Duration.ofDays(1), "PT30S", Duration.ofSeconds(30), "pt1m", Duration.ofMinutes(1));
        forms.forEach((text, expected) -> assertEquals(expected,
                context(Map.of("demo.poll", text)).configDuration("poll", Duration.ZERO), text));
        assertEquals(Duration.ofSeconds(9), context(Map.of()).configDuration("poll", Duration.ofSeconds(9)));
    }

    @Test
    void badValuesNameTheSetting() {
        for (String bad : new String[]{"soon", "-5s", "5 parsecs", "1e400", "PTXS"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> context(Map.of("demo.poll", bad)).configDuration("poll", Duration.ZERO), bad);
            assertEquals("The setting demo.poll is '" + bad + "'; it must be a duration such as 30s, 250ms, 5m or PT30S.",
                    e.getMessage());
        }
        IllegalArgumentException notInt = assertThrows(IllegalArgumentException.class,
                () -> context(Map.of("demo.retries", "3.5")).configInt("retries", 1));
        assertTrue(notInt.getMessage().startsWith("The setting demo.retries is '3.5'"), notInt.getMessage());
        assertThrows(IllegalArgumentException.class, () -> context(Map.of("demo.big", "99999999999")).configInt("big", 1));
        assertEquals(99_999_999_999L, context(Map.of("demo.big", "99999999999")).configLong("big", 1));
        assertThrows(IllegalArgumentException.class, () -> context(Map.of("demo.on", "maybe")).configBool("on", false));
    }

    @Test
    void booleansAndNumbers() {
        assertTrue(context(Map.of("demo.on", "YES")).configBool("on", false));
        assertFalse(context(Map.of("demo.on", "off")).configBool("on", true));
        assertEquals(42, context(Map.of("demo.n", " 42 ")).configInt("n", 1));
        assertEquals(7, context(Map.of()).configInt("n", 7));
    }
}
