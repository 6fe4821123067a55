package org.classtop.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/** Parsing shared by {@link PluginContext}'s typed settings. */
final class ConfigValues {
    private ConfigValues() {
    }

    /** @throws NumberFormatException or java.time.format.DateTimeParseException for a value that is not a duration */
    static Duration duration(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (v.startsWith("p")) {
            return nonNegative(Duration.parse(value.toUpperCase(Locale.ROOT)));
        }
        long nanosPerUnit;
        String number;
        if (v.endsWith("ms")) {
            nanosPerUnit = 1_000_000L;
            number = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            nanosPerUnit = 1_000_000_000L;
            number = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            nanosPerUnit = 60_000_000_000L;
            number = v.substring(0, v.length() - 1);
        } else if (v.endsWith("h")) {
            nanosPerUnit = 3_600_000_000_000L;
            number = v.substring(0, v.length() - 1);
        } else if (v.endsWith("d")) {
            nanosPerUnit = 86_400_000_000_000L;
            number = v.substring(0, v.length() - 1);
        } else {
            nanosPerUnit = 1_000_000_000L;
            number = v;
        }
        BigDecimal nanos = new BigDecimal(number.trim()).multiply(BigDecimal.valueOf(nanosPerUnit));
        return nonNegative(Duration.ofNanos(nanos.longValueExact()));
    }

    private static Duration nonNegative(Duration d) {
        if (d.isNegative()) {
            throw new NumberFormatException("negative duration");
        }
        return d;
    }
}
