package org.classtop.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's {@code plugins} frame: the agent sides it runs ({@code id, version, sha256, platforms}),
 * the ids it switched off, and the session's download token. Entries that break the rules are dropped
 * with a log line; the rest is kept.
 */
record AnnouncedPlugins(List<Announced> plugins, Set<String> off, String downloadToken) {
    private static final Logger LOG = LoggerFactory.getLogger(AnnouncedPlugins.class);
    static final Pattern PLUGIN_ID = Pattern.compile("[a-z][a-z0-9-]{1,63}");
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    static final int MAX_ENTRIES = 256;

    /** One announced agent side; {@code platforms} empty means any. */
    record Announced(String id, String version, String sha256, List<String> platforms) {
        boolean runsOn(String platform) {
            return platforms.isEmpty() || platforms.contains(platform);
        }
    }

    AnnouncedPlugins {
        plugins = List.copyOf(plugins);
        off = Set.copyOf(off);
    }

    static final AnnouncedPlugins NONE = new AnnouncedPlugins(List.of(), Set.of(), null);

    /** Reads a {@code plugins} frame (or {@code announced.json}); bad entries are left out. */
    static AnnouncedPlugins parse(Map<String, Object> frame) {
        List<Announced> plugins = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        if (frame.get("plugins") instanceof List<?> list) {
            for (Object item : list) {
                if (plugins.size() >= MAX_ENTRIES) {
                    LOG.warn("The server announced more than {} plugins; the rest are ignored", MAX_ENTRIES);
                    break;
                }
                Announced announced = entry(item);
                if (announced != null && ids.add(announced.id())) {
                    plugins.add(announced);
                }
            }
        }
        Set<String> off = new LinkedHashSet<>();
        if (frame.get("off") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof String id && PLUGIN_ID.matcher(id).matches() && !ids.contains(id) && off.size() < MAX_ENTRIES) {
                    off.add(id);
                }
            }
        }
        String token = frame.get("download_token") instanceof String text && !text.isBlank() ? text : null;
        return new AnnouncedPlugins(plugins, off, token);
    }

    private static Announced entry(Object item) {
        if (!(item instanceof Map<?, ?> map)) {
            LOG.warn("Ignoring an announced plugin that is not a JSON object");
            return null;
        }
        Object id = map.get("id");
        Object version = map.get("version");
        Object sha = map.get("sha256");
        if (!(id instanceof String text) || !PLUGIN_ID.matcher(text).matches()) {
            LOG.warn("Ignoring an announced plugin with the id {}: ids are 2 to 64 lower-case letters, digits and dashes", id);
            return null;
        }
        if (!(version instanceof String v) || v.isBlank() || v.length() > 64) {
            LOG.warn("Ignoring announced plugin '{}': it has no version", text);
            return null;
        }
        if (!(sha instanceof String hash) || !SHA256.matcher(hash).matches()) {
            LOG.warn("Ignoring announced plugin '{}': its sha256 is not 64 lower-case hex digits", text);
            return null;
        }
        List<String> platforms = new ArrayList<>();
        if (map.get("platforms") instanceof List<?> list) {
            for (Object platform : list) {
                if (platform instanceof String p && !p.isBlank()) {
                    platforms.add(p.strip());
                }
            }
        }
        return new Announced(text, v, hash, platforms);
    }

    Announced find(String id) {
        return plugins.stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
    }

    /** What {@code announced.json} keeps: everything but the token, which is only good for one session. */
    Map<String, Object> toJson() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Announced plugin : plugins) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", plugin.id());
            entry.put("version", plugin.version());
            entry.put("sha256", plugin.sha256());
            entry.put("platforms", plugin.platforms());
            list.add(entry);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("plugins", list);
        json.put("off", List.copyOf(new java.util.TreeSet<>(off)));
        return json;
    }
}
