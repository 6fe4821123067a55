package org.classtop.plugins.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingValuesTest {
    private static String refusal(Runnable check) {
        return assertThrows(InvalidSettingException.class, check::run).getMessage();
    }

    @Test
    void storesTextNumbersAndBooleansAsText() {
        assertEquals("dark", SettingValues.toText("theme", "dark"));
        assertEquals("", SettingValues.toText("empty", ""));
        assertEquals("80", SettingValues.toText("volume", 80));
        assertEquals("12345678901", SettingValues.toText("big", 12345678901L));
        assertEquals("1.5", SettingValues.toText("ratio", 1.5));
        assertEquals("100000000000000000000", SettingValues.toText("huge", 1e20));
        assertEquals("0.10", SettingValues.toText("decimal", new BigDecimal("0.10")));
        assertEquals("true", SettingValues.toText("muted", true));
    }

    @Test
    void refusesObjectsListsAndNullWithASentence() {
        assertEquals("The value of setting 'theme' must be text, a number or true/false, not a JSON object.",
                refusal(() -> SettingValues.toText("theme", Map.of("a", 1))));
        assertEquals("The value of setting 'theme' must be text, a number or true/false, not a list.",
                refusal(() -> SettingValues.toText("theme", List.of(1))));
        assertEquals("The value of setting 'theme' must be text, a number or true/false, not null.",
                refusal(() -> SettingValues.toText("theme", null)));
        assertEquals("The value of setting 'ratio' must be a finite number.",
                refusal(() -> SettingValues.toText("ratio", Double.NaN)));
    }

    @Test
    void limitsValuesTo64KiB() {
        assertEquals(65_536, SettingValues.toText("blob", "a".repeat(65_536)).length());
        assertEquals("The value of setting 'blob' is larger than 64 KiB.",
                refusal(() -> SettingValues.toText("blob", "a".repeat(65_537))));
        assertEquals("The value of setting 'blob' is larger than 64 KiB.",
                refusal(() -> SettingValues.toText("blob", "é".repeat(40_000))), "UTF-8 bytes count");
    }

    @Test
    void checksKeys() {
        assertEquals("theme", SettingValues.checkKey("theme"));
        assertEquals("k".repeat(128), SettingValues.checkKey("k".repeat(128)));
        assertEquals("A setting key must be non-empty text.", refusal(() -> SettingValues.checkKey("")));
        assertEquals("A setting key must be non-empty text.", refusal(() -> SettingValues.checkKey(" ")));
        assertEquals("A setting key must be non-empty text.", refusal(() -> SettingValues.checkKey(5)));
        assertEquals("The setting key '" + "k".repeat(32) + "…' is longer than 128 characters.",
                refusal(() -> SettingValues.checkKey("k".repeat(129))));
        assertEquals("The setting key must not contain control characters.",
                refusal(() -> SettingValues.checkKey("a\nb")));
    }

    @Test
    void checksABatchWhole() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("theme", "dark");
        settings.put("volume", 80);
        assertEquals(Map.of("theme", "dark", "volume", "80"), SettingValues.checkBatch(settings));
        assertEquals(List.of("theme", "volume"), List.copyOf(SettingValues.checkBatch(settings).keySet()));

        assertEquals("\"settings\" must name at least one setting.", refusal(() -> SettingValues.checkBatch(Map.of())));
        assertEquals("\"settings\" must be a JSON object of keys and values, e.g. {\"settings\":{\"theme\":\"dark\"}}.",
                refusal(() -> SettingValues.checkBatch(List.of())));
        settings.put("bad", List.of());
        assertEquals("The value of setting 'bad' must be text, a number or true/false, not a list.",
                refusal(() -> SettingValues.checkBatch(settings)));
    }
}
