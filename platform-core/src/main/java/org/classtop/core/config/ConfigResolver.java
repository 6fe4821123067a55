package org.classtop.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Looks a setting up in the order of SPEC section 2: command-line flag, environment variable,
 * config file ({@code conf/classtop.properties}), default. Bad values raise
 * {@link IllegalArgumentException} with a sentence fit for the one-line exit message.
 */
public final class ConfigResolver {
    private final Map<String, String> flags;
    private final Map<String, String> env;
    private final Properties file;

    public ConfigResolver(Map<String, String> flags, Map<String, String> env, Properties file) {
        this.flags = flags;
        this.env = env;
        this.file = file;
    }

    public static Properties loadFile(Path path) {
        Properties properties = new Properties();
        if (path != null && Files.isRegularFile(path)) {
            try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("Cannot read the config file " + path + ": " + e.getMessage());
            }
        }
        return properties;
    }

    /** @param key the flag name without dashes, also the config-file key */
    public Optional<String> lookup(String key, String envName) {
        String value = flags.get(key);
        if (value == null && envName != null) {
            value = env.get(envName);
        }
        if (value == null) {
            value = file.getProperty(key);
        }
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String string(String key, String envName, String defaultValue) {
        return lookup(key, envName).orElse(defaultValue);
    }

    public int integer(String key, String envName, int defaultValue, int min, int max) {
        return lookup(key, envName).map(v -> parse(key, v, Integer::parseInt, min, max)).orElse(defaultValue);
    }

    /** {@code true}/{@code false} (also yes/no, on/off, 1/0); a bad value throws naming the flag. */
    public boolean bool(String key, String envName, boolean defaultValue) {
        return lookup(key, envName).map(v -> switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("--" + key + " must be true or false, not '" + v + "'.");
        }).orElse(defaultValue);
    }

    public <E extends Enum<E>> E choice(String key, String envName, Class<E> type, E defaultValue) {
        return lookup(key, envName).map(v -> {
            try {
                return Enum.valueOf(type, v.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                StringBuilder allowed = new StringBuilder();
                for (E constant : type.getEnumConstants()) {
                    allowed.append(allowed.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
                }
                throw new IllegalArgumentException("--" + key + " must be one of " + allowed + ", not '" + v + "'.");
            }
        }).orElse(defaultValue);
    }

    /** Every {@code <plugin-id>.<name>} entry of the config file. */
    public Map<String, String> dottedFileEntries() {
        Map<String, String> entries = new HashMap<>();
        for (String name : file.stringPropertyNames()) {
            if (name.contains(".")) {
                entries.put(name, file.getProperty(name));
            }
        }
        return entries;
    }

    private static <T extends Comparable<T>> T parse(String key, String value, Function<String, T> parser, T min, T max) {
        T parsed;
        try {
            parsed = parser.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a number, not '" + value + "'.");
        }
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            throw new IllegalArgumentException("--" + key + " must be between " + min + " and " + max + ", not " + value + ".");
        }
        return parsed;
    }
}
