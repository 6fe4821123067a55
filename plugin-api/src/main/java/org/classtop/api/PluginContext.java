package org.classtop.api;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * What a plugin knows about itself. Injected into any class of the plugin; never hard-code the id
 * or a data path.
 */
public interface PluginContext {
    /** The plugin id: PF4J id, folder, migrations folder {@code db/<id>/}, static folder {@code static/<id>/}, log prefix. */
    String pluginId();

    String version();

    /** A folder of the plugin's own inside the data directory, created on first use. */
    Path dataDir();

    /**
     * A configuration value for this plugin: the environment variable {@code <PLUGIN_ID>_<NAME>}, then
     * {@code <NAME>} (upper case, dots and dashes as underscores), then {@code <pluginId>.<name>} in the
     * server's config file (on an agent: the system property {@code <pluginId>.<name>}).
     */
    Optional<String> config(String name);

    /**
     * A whole-number setting, or {@code defaultValue} when it is not set.
     *
     * @throws IllegalArgumentException naming the setting, when the value is not a whole number
     */
    default int configInt(String name, int defaultValue) {
        return config(name).map(String::trim).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw badSetting(name, v, "a whole number, e.g. 30");
            }
        }).orElse(defaultValue);
    }

    /** A whole-number setting, or {@code defaultValue}; a bad value throws naming the setting. */
    default long configLong(String name, long defaultValue) {
        return config(name).map(String::trim).map(v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw badSetting(name, v, "a whole number, e.g. 30");
            }
        }).orElse(defaultValue);
    }

    /** {@code true}/{@code false} (also {@code yes}/{@code no}, {@code on}/{@code off}, {@code 1}/{@code 0}), or {@code defaultValue}. */
    default boolean configBool(String name, boolean defaultValue) {
        return config(name).map(v -> switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw badSetting(name, v, "true or false");
        }).orElse(defaultValue);
    }

    /**
     * A duration: a number of seconds ({@code 30}, {@code 0.5}), a number with a unit ({@code 250ms},
     * {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}) or ISO-8601 ({@code PT30S}); or {@code defaultValue}.
     */
    default Duration configDuration(String name, Duration defaultValue) {
        return config(name).map(String::trim).map(v -> {
            try {
                return ConfigValues.duration(v);
            } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
                throw badSetting(name, v, "a duration such as 30s, 250ms, 5m or PT30S");
            }
        }).orElse(defaultValue);
    }

    private IllegalArgumentException badSetting(String name, String value, String expected) {
        return new IllegalArgumentException("The setting " + pluginId() + "." + name + " is '" + value
                + "'; it must be " + expected + ".");
    }
}
