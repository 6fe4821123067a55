package org.classtop.plugins.managementsync.centre;

import jakarta.inject.Inject;
import java.time.Duration;
import org.classtop.api.Lifecycle;
import org.classtop.api.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the centre on a management server: reads the settings, loads sites, clients and key hashes into
 * memory, and prunes the bounded history on a schedule. Does nothing on an LMS.
 */
public final class CentreLifecycle implements Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(CentreLifecycle.class);

    private final CentreSettings settings;
    private final CentreStore store;
    private final Sites sites;
    private final Scheduler scheduler;

    @Inject
    CentreLifecycle(CentreSettings settings, CentreStore store, Sites sites, Scheduler scheduler) {
        this.settings = settings;
        this.store = store;
        this.sites = sites;
        this.scheduler = scheduler;
    }

    @Override
    public void start() throws Exception {
        if (!settings.isCentre()) {
            return;
        }
        settings.load();
        store.loadInto(sites);
        scheduler.every(settings.pruneInterval, this::prune);
        LOG.info("[management-sync] centre: {} LMS, {} clients; history kept {} days", sites.sites().size(), sites.clientCount(),
                settings.historyDays);
    }

    /** Deletes heartbeats and CCTV events older than the kept days, sync keys older than SYNC_KEY_DAYS. */
    long prune() {
        long now = System.currentTimeMillis();
        long before = now - Duration.ofDays(settings.historyDays).toMillis();
        long rows = store.prune(before, now - Duration.ofDays(settings.syncKeyDays).toMillis()).toCompletableFuture().join();
        if (rows > 0) {
            LOG.info("[management-sync] pruned {} history rows older than {} days", rows, settings.historyDays);
        }
        return rows;
    }

    @Override
    public void stop() {
        sites.clear();
    }
}
