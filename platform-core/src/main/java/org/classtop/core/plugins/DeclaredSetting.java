package org.classtop.core.plugins;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.classtop.api.SettingType;
import org.classtop.api.server.SettingBuilder;

/** One setting a plugin declared with {@code setting(name)}; filled by its builder during {@code configure()}. */
final class DeclaredSetting implements SettingBuilder {
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,3}");

    private final String pluginId;
    private final String name;
    private SettingType type = SettingType.STRING;
    private String defaultValue;
    private String description;
    private final Map<String, String> descriptions = new LinkedHashMap<>();
    private boolean live;

    DeclaredSetting(String pluginId, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Plugin '" + pluginId + "' declares the setting '" + name + "'; a setting"
                    + " name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter.");
        }
        this.pluginId = pluginId;
        this.name = name;
    }

    @Override
    public SettingBuilder type(SettingType value) {
        type = java.util.Objects.requireNonNull(value, "type");
        return this;
    }

    @Override
    public SettingBuilder defaultValue(String value) {
        defaultValue = value;
        return this;
    }

    @Override
    public SettingBuilder description(String text) {
        description = text;
        return this;
    }

    @Override
    public SettingBuilder description(String language, String text) {
        if (language == null || !LANGUAGE.matcher(language).matches()) {
            throw new IllegalArgumentException("Plugin '" + pluginId + "' describes its setting '" + name + "' in '"
                    + language + "': use a language tag such as zh-CN.");
        }
        descriptions.put(language, text);
        return this;
    }

    @Override
    public SettingBuilder live() {
        live = true;
        return this;
    }

    /** @throws IllegalStateException when the default does not fit the type */
    void validate() {
        if (defaultValue == null) {
            return;
        }
        try {
            defaultValue = type.normalize(defaultValue);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Plugin '" + pluginId + "' gives its setting '" + name + "' the default '"
                    + defaultValue + "', which is not " + type.expected() + ".");
        }
    }

    String name() {
        return name;
    }

    SettingType type() {
        return type;
    }

    String defaultValue() {
        return defaultValue;
    }

    String description() {
        return description;
    }

    Map<String, String> descriptions() {
        return Map.copyOf(descriptions);
    }

    boolean isLive() {
        return live;
    }
}
