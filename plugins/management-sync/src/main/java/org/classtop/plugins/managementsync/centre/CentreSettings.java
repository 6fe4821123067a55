package org.classtop.plugins.managementsync.centre;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.classtop.api.PluginContext;
import org.classtop.api.server.ServerInfo;

/**
 * The centre's settings ({@code management-sync.<NAME>} in {@code conf/classtop.properties}, or the environment
 * variable {@code MANAGEMENT_SYNC_<NAME>}), read once when the plugin starts; a bad value fails the plugin with a
 * sentence naming the setting.
 */
@Singleton
final class CentreSettings {
    /** Heartbeats and CCTV events older than this are pruned; sync ids are remembered as long. */
    int historyDays = 7;
    /**
     * Days a sync's key is remembered (never fewer than {@link #historyDays}): a replay older than that would be
     * applied again over newer data, so the window is far longer than any outbox outage.
     */
    int syncKeyDays = 400;
    Duration pruneInterval = Duration.ofHours(1);
    /** An LMS is offline after this many of its heartbeat intervals without a heartbeat. */
    int offlineAfterIntervals = 3;
    int maxClientsPerHeartbeat = 10_000;
    int maxClientsPerLms = 10_000;
    int maxLms = 10_000;
    /** Client rows in all (every LMS's and the directly registered ones). */
    int maxClients = 1_000_000;
    int maxCoursesPerSync = 5_000;
    int maxSchedulesPerSync = 20_000;
    int maxSettingsPerSync = 2_000;
    int maxCamerasPerSync = 200;
    int maxCctvEventsPerSync = 1_000;

    private final PluginContext context;
    private final ServerInfo info;

    @Inject
    CentreSettings(PluginContext context, ServerInfo info) {
        this.context = context;
        this.info = info;
    }

    boolean isCentre() {
        return "management".equals(info.role());
    }

    /** Open enrolment: an LMS or a client may register without a token (SPEC section 2). */
    boolean openEnrolment() {
        return "open".equals(info.flag("enrollment").orElse(""));
    }

    void load() {
        historyDays = positive("HISTORY_DAYS", context.configInt("HISTORY_DAYS", historyDays));
        syncKeyDays = Math.max(historyDays, positive("SYNC_KEY_DAYS", context.configInt("SYNC_KEY_DAYS", syncKeyDays)));
        pruneInterval = context.configDuration("PRUNE_INTERVAL", pruneInterval);
        if (pruneInterval.isNegative() || pruneInterval.isZero()) {
            throw new IllegalArgumentException("The setting " + context.pluginId() + ".PRUNE_INTERVAL must be positive.");
        }
        offlineAfterIntervals = positive("OFFLINE_AFTER_INTERVALS", context.configInt("OFFLINE_AFTER_INTERVALS", offlineAfterIntervals));
        maxClientsPerHeartbeat = positive("MAX_CLIENTS_PER_HEARTBEAT", context.configInt("MAX_CLIENTS_PER_HEARTBEAT", maxClientsPerHeartbeat));
        maxClientsPerLms = positive("MAX_CLIENTS_PER_LMS", context.configInt("MAX_CLIENTS_PER_LMS", maxClientsPerLms));
        maxLms = positive("MAX_LMS", context.configInt("MAX_LMS", maxLms));
        maxClients = positive("MAX_CLIENTS", context.configInt("MAX_CLIENTS", maxClients));
    }

    private int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("The setting " + context.pluginId() + "." + name + " is " + value
                    + "; it must be at least 1.");
        }
        return value;
    }
}
