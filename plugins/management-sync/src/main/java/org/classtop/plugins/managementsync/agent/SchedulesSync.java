package org.classtop.plugins.managementsync.agent;

import jakarta.inject.Inject;
import org.classtop.api.agent.SyncProvider;

/** The {@code schedules} section of the dual-mode sync, from {@link SyncDataFile}. */
public final class SchedulesSync implements SyncProvider {
    private final SyncDataFile file;

    @Inject
    public SchedulesSync(SyncDataFile file) {
        this.file = file;
    }

    @Override
    public Object syncData() throws Exception {
        return file.section("schedules");
    }
}
