package org.classtop.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.classtop.api.Registration;
import org.classtop.api.agent.SyncProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The plugins' {@link SyncProvider}s by section name; composes the data of one {@code POST /api/sync}. */
final class SyncSections {
    private static final Logger LOG = LoggerFactory.getLogger(SyncSections.class);

    private record Section(String pluginId, SyncProvider provider) {
    }

    private final Map<String, Section> sections = new ConcurrentSkipListMap<>();

    /** Adds a section; a {@link PluginConflictException} names the plugin that already provides it. */
    Registration register(String name, String pluginId, SyncProvider provider) {
        Section entry = new Section(pluginId, provider);
        Section previous = sections.putIfAbsent(name, entry);
        if (previous != null) {
            throw new PluginConflictException("Sync section '" + name + "' is already provided by plugin '"
                    + previous.pluginId() + "'.");
        }
        return () -> sections.remove(name, entry);
    }

    boolean provides(String name) {
        return sections.containsKey(name);
    }

    /** Every section's data, in name order; a provider that fails is logged and left out of this sync. */
    Map<String, Object> compose() {
        Map<String, Object> data = new LinkedHashMap<>();
        sections.forEach((name, section) -> {
            try {
                Object value = section.provider().syncData();
                if (value != null) { // null: nothing to say this time, the centre keeps what it had
                    data.put(name, value);
                }
            } catch (Exception | LinkageError e) {
                LOG.warn("Sync section '{}' of plugin '{}' failed and is left out of this sync: {}", name,
                        section.pluginId(), e.toString());
            }
        });
        return data;
    }
}
