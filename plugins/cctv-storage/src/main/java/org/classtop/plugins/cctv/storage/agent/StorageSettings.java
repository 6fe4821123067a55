package org.classtop.plugins.cctv.storage.agent;

import jakarta.inject.Inject;
import java.time.Duration;
import org.classtop.api.PluginContext;

/**
 * The settings of cctv-storage on the agent ({@code CCTV_STORAGE_<NAME>} or the system property
 * {@code cctv-storage.<name>}): {@code max_age_days} (30), {@code max_total_bytes} (0: no cap),
 * {@code min_free_bytes} (1 GiB), {@code cleanup_interval} (10m; 0 switches the scheduled cleanup off).
 */
final class StorageSettings {
    static final long GIB = 1L << 30;
    private final PluginContext context;

    @Inject
    StorageSettings(PluginContext context) {
        this.context = context;
    }

    Retention retention() {
        long age = context.configLong("max_age_days", 30);
        long total = context.configLong("max_total_bytes", 0);
        long free = context.configLong("min_free_bytes", GIB);
        if (age < 0 || age > Retention.MAX_AGE_DAYS) {
            throw new IllegalArgumentException("The setting " + context.pluginId() + ".max_age_days is " + age
                    + "; it must be from 0 (no limit) to " + Retention.MAX_AGE_DAYS + ".");
        }
        if (total < 0 || free < 0) {
            throw new IllegalArgumentException("The settings " + context.pluginId() + ".max_total_bytes and "
                    + context.pluginId() + ".min_free_bytes must be 0 (no limit) or more.");
        }
        return new Retention(age, total, free);
    }

    Duration cleanupInterval() {
        return context.configDuration("cleanup_interval", Duration.ofMinutes(10));
    }
}
