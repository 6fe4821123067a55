package org.classtop.plugins.managementsync.agent;

import jakarta.inject.Inject;
import org.classtop.api.agent.SyncProvider;

/** The {@code courses} section of the dual-mode sync, from {@link SyncDataFile}. */
public final class CoursesSync implements SyncProvider {
    private final SyncDataFile file;

    @Inject
    public CoursesSync(SyncDataFile file) {
        this.file = file;
    }

    @Override
    public Object syncData() throws Exception {
        return file.section("courses");
    }
}
