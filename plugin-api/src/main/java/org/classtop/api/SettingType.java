package org.classtop.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The type of a declared plugin setting ({@code ServerBinder.setting(name).type(..)}): what an admin may
 * enter on the Plugins page, checked before anything is stored. Values travel as text; read them with
 * {@link PluginContext#configInt}, {@link PluginContext#configDuration} and the like.
 */
public enum SettingType {
    STRING("any text"),
    INT("a whole number between -2147483648 and 2147483647, e.g. 30"),
    LONG("a whole number, e.g. 30"),
    BOOL("true or false"),
    DURATION("a duration such as 30s, 250ms, 5m or PT30S");

    private final String expected;

    SettingType(String expected) {
        this.expected = expected;
    }

    /** What a value of this type looks like, in words ("a whole number, e.g. 30"). */
    public String expected() {
        return expected;
    }

    /**
     * The value in the form it is stored: trimmed; {@code BOOL} as {@code true}/{@code false} (also accepts
     * yes/no, on/off, 1/0).
     *
     * @throws IllegalArgumentException with {@link #expected()} as its message when the value does not fit
     */
    public String normalize(String value) {
        if (value == null) {
            throw new IllegalArgumentException(expected);
        }
        String v = value.trim();
        try {
            switch (this) {
                case STRING:
                    return value;
                case INT:
                    return Integer.toString(Integer.parseInt(v));
                case LONG:
                    return Long.toString(Long.parseLong(v));
                case BOOL:
                    switch (v.toLowerCase(Locale.ROOT)) {
                        case "true", "yes", "on", "1":
                            return "true";
                        case "false", "no", "off", "0":
                            return "false";
                        default:
                            throw new IllegalArgumentException(expected);
                    }
                case DURATION:
                    Duration ignored = ConfigValues.duration(v);
                    return v;
                default:
                    throw new IllegalArgumentException(expected);
            }
        } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(expected, e);
        }
    }

    /** A duration as settings and flags write it: {@code 30}, {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601. */
    public static Duration parseDuration(String value) {
        try {
            return ConfigValues.duration(value.trim());
        } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(DURATION.expected, e);
        }
    }

    /** The JSON name of this type: {@code string}, {@code int}, {@code long}, {@code bool}, {@code duration}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
