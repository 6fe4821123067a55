package org.classtop.core.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.classtop.api.PluginContext;
import org.classtop.api.server.ApiException;
import org.classtop.core.storage.PlatformDatabase;
import org.classtop.core.storage.PluginSettingsRepository;

/**
 * The settings plugins declare ({@code setting(name)}) and the values admins stored for them. A plugin's
 * {@link PluginContext#config} reads a stored value first, then the environment and config file, then the
 * declared default ({@link #contextFor}). Stored values are kept in memory, so a live setting costs a map look-up.
 */
@Singleton
public final class PluginSettings {
    private final PluginSettingsRepository repository;
    private final Map<String, Map<String, DeclaredSetting>> declared = new ConcurrentHashMap<>();
    private final Map<String, PluginContext> contexts = new ConcurrentHashMap<>();
    private volatile Map<String, Map<String, String>> stored;

    @Inject
    public PluginSettings(PlatformDatabase database) {
        this.repository = new PluginSettingsRepository(database);
    }

    /** Records what the plugin declared (again on each wiring: a new version may declare other settings). */
    void declare(String pluginId, Map<String, DeclaredSetting> settings) {
        declared.put(pluginId, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings)));
    }

    /** The plugin's context with its stored values and declared defaults in front of / behind {@code base}. */
    PluginContext contextFor(PluginContext base) {
        PluginContext context = new SettingsContext(base, this);
        contexts.put(base.pluginId(), context);
        return context;
    }

    /** Whether {@code pluginId} has been wired at least once, so its settings are known. */
    public boolean knows(String pluginId) {
        return declared.containsKey(pluginId);
    }

    public boolean isLive(String pluginId, String name) {
        DeclaredSetting setting = declared.getOrDefault(pluginId, Map.of()).get(name);
        return setting != null && setting.isLive();
    }

    /** The {@code settings} of a plugin in GET /api/plugins: {name, type, default, description, descriptions, value, live}. */
    public List<Map<String, Object>> describe(String pluginId) {
        List<Map<String, Object>> views = new ArrayList<>();
        PluginContext context = contexts.get(pluginId);
        for (DeclaredSetting setting : ordered(pluginId)) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", setting.name());
            view.put("type", setting.type().jsonName());
            view.put("default", setting.defaultValue());
            view.put("description", setting.description());
            view.put("descriptions", setting.descriptions());
            view.put("value", context == null ? storedValue(pluginId, setting.name()).orElse(setting.defaultValue())
                    : context.config(setting.name()).orElse(null));
            view.put("live", setting.isLive());
            views.add(view);
        }
        return views;
    }

    /**
     * The values of a PUT body's {@code values} object, checked against the declarations and normalized
     * (null: back to the environment, config file or default).
     *
     * @throws ApiException 400 naming the first setting that is unknown or does not fit its type
     */
    public Map<String, String> check(String pluginId, JsonNode values) {
        Map<String, DeclaredSetting> settings = declared.getOrDefault(pluginId, Map.of());
        if (values == null || !values.isObject()) {
            throw ApiException.badRequest("The body must be {\"values\":{\"<setting>\":<value>,...}}.");
        }
        if (values.isEmpty()) {
            throw ApiException.badRequest("'values' names no setting; give at least one.");
        }
        Map<String, String> checked = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            DeclaredSetting setting = settings.get(entry.getKey());
            if (setting == null) {
                throw invalid(brief(entry.getKey()), null, "Plugin '" + pluginId + "' has no setting '" + brief(entry.getKey()) + "'; "
                        + (settings.isEmpty() ? "it declares none." : "its settings are "
                        + String.join(", ", ordered(pluginId).stream().map(DeclaredSetting::name).toList()) + "."));
            }
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                checked.put(setting.name(), null);
                continue;
            }
            if (!value.isValueNode()) {
                throw notA(setting, value.isArray() ? "a list" : "an object");
            }
            String text = value.asText();
            try {
                checked.put(setting.name(), setting.type().normalize(text));
            } catch (IllegalArgumentException e) {
                throw notA(setting, "'" + brief(text) + "'");
            }
        }
        return checked;
    }

    /** The current value of each setting of {@code values} as the plugin reads it. */
    public Map<String, String> current(String pluginId, Iterable<String> names) {
        Map<String, String> now = new LinkedHashMap<>();
        PluginContext context = contexts.get(pluginId);
        for (String name : names) {
            now.put(name, context == null ? storedValue(pluginId, name).orElse(null) : context.config(name).orElse(null));
        }
        return now;
    }

    /** Stores all the values or none (blocks until written); then the plugin reads them. Null removes a value. */
    public void store(String pluginId, Map<String, String> values, String by) {
        repository.putAll(pluginId, values, by).toCompletableFuture().join();
        Map<String, String> mine = stored().computeIfAbsent(pluginId, id -> new ConcurrentHashMap<>());
        values.forEach((name, value) -> {
            if (value == null) {
                mine.remove(name);
            } else {
                mine.put(name, value);
            }
        });
    }

    /** Drops what admins stored for a plugin that is removed with its data (purge). */
    void forget(String pluginId) {
        repository.deleteAll(pluginId).toCompletableFuture().join();
        stored().remove(pluginId);
    }

    Optional<String> storedValue(String pluginId, String name) {
        return Optional.ofNullable(stored().getOrDefault(pluginId, Map.of()).get(name));
    }

    Optional<String> defaultValue(String pluginId, String name) {
        DeclaredSetting setting = declared.getOrDefault(pluginId, Map.of()).get(name);
        return Optional.ofNullable(setting == null ? null : setting.defaultValue());
    }

    private List<DeclaredSetting> ordered(String pluginId) {
        return List.copyOf(declared.getOrDefault(pluginId, Map.of()).values());
    }

    private Map<String, Map<String, String>> stored() {
        Map<String, Map<String, String>> values = stored;
        if (values == null) {
            synchronized (this) {
                values = stored;
                if (values == null) {
                    values = new ConcurrentHashMap<>();
                    for (Map.Entry<String, Map<String, String>> e : repository.all().entrySet()) {
                        values.put(e.getKey(), new ConcurrentHashMap<>(e.getValue()));
                    }
                    stored = values;
                }
            }
        }
        return values;
    }

    private static ApiException notA(DeclaredSetting setting, String given) {
        return invalid(setting.name(), setting.type().jsonName(), "Setting '" + setting.name() + "' must be "
                + setting.type().expected() + "; " + given + " is not.");
    }

    /** 400 INVALID_SETTING with {"setting": name, "type": its type, or null for an unknown one}. */
    private static ApiException invalid(String name, String type, String sentence) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("setting", name);
        data.put("type", type);
        return new org.classtop.core.http.DetailedApiException(400, "INVALID_SETTING", sentence, data);
    }

    private static String brief(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }

    /** A plugin's context: stored value, then the platform's environment / config-file look-up, then the default. */
    private static final class SettingsContext implements PluginContext {
        private final PluginContext base;
        private final PluginSettings settings;

        SettingsContext(PluginContext base, PluginSettings settings) {
            this.base = base;
            this.settings = settings;
        }

        @Override
        public String pluginId() {
            return base.pluginId();
        }

        @Override
        public String version() {
            return base.version();
        }

        @Override
        public java.nio.file.Path dataDir() {
            return base.dataDir();
        }

        @Override
        public Optional<String> config(String name) {
            Optional<String> stored = settings.storedValue(base.pluginId(), name).filter(v -> !v.isBlank());
            if (stored.isPresent()) {
                return stored;
            }
            Optional<String> configured = base.config(name);
            return configured.isPresent() ? configured : settings.defaultValue(base.pluginId(), name);
        }
    }
}
