package org.classtop.plugins.settings;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rules for setting keys and values, shared by both sides. Values are kept as text, as the ClassTop
 * client stores them: numbers and booleans become their JSON text, JSON objects, lists and null are refused.
 */
public final class SettingValues {
    public static final int MAX_KEY_LENGTH = 128;
    public static final int MAX_VALUE_BYTES = 64 * 1024;
    public static final int MAX_BATCH_SIZE = 1_000;

    private SettingValues() {
    }

    /** The key itself when it may be used, otherwise an {@link InvalidSettingException}. */
    public static String checkKey(Object key) {
        if (!(key instanceof String text) || text.isBlank()) {
            throw new InvalidSettingException("A setting key must be non-empty text.");
        }
        if (text.length() > MAX_KEY_LENGTH) {
            throw new InvalidSettingException("The setting key '" + text.substring(0, 32) + "…' is longer than "
                    + MAX_KEY_LENGTH + " characters.");
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw new InvalidSettingException("The setting key must not contain control characters.");
            }
        }
        return text;
    }

    /** The value as stored text, otherwise an {@link InvalidSettingException} naming the key. */
    public static String toText(String key, Object value) {
        String text;
        if (value instanceof String string) {
            text = string;
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
            text = value.toString();
        } else if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                throw new InvalidSettingException("The value of setting '" + key + "' must be a finite number.");
            }
            text = BigDecimal.valueOf(number).toPlainString();
        } else if (value instanceof BigDecimal decimal) {
            text = decimal.toPlainString();
        } else {
            throw new InvalidSettingException("The value of setting '" + key + "' must be text, a number or true/false, not "
                    + describe(value) + ".");
        }
        if (text.length() > MAX_VALUE_BYTES / 4 && text.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
            throw new InvalidSettingException("The value of setting '" + key + "' is larger than "
                    + MAX_VALUE_BYTES / 1024 + " KiB.");
        }
        return text;
    }

    /**
     * Checks a whole {@code {"key": value, ..}} object: every key and value, at least one and at most
     * {@link #MAX_BATCH_SIZE} entries. Returns the values as text, in the given order.
     */
    public static Map<String, String> checkBatch(Object settings) {
        if (!(settings instanceof Map<?, ?> map)) {
            throw new InvalidSettingException("\"settings\" must be a JSON object of keys and values, e.g. "
                    + "{\"settings\":{\"theme\":\"dark\"}}.");
        }
        if (map.isEmpty()) {
            throw new InvalidSettingException("\"settings\" must name at least one setting.");
        }
        if (map.size() > MAX_BATCH_SIZE) {
            throw new InvalidSettingException("At most " + MAX_BATCH_SIZE + " settings can be changed at once, not "
                    + map.size() + ".");
        }
        Map<String, String> checked = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            String name = checkKey(key);
            checked.put(name, toText(name, value));
        });
        return checked;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map<?, ?>) {
            return "a JSON object";
        }
        if (value instanceof Collection<?> || value.getClass().isArray()) {
            return "a list";
        }
        return "a " + value.getClass().getSimpleName();
    }
}
