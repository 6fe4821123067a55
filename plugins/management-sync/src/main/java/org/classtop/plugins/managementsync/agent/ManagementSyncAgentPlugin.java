package org.classtop.plugins.managementsync.agent;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import org.classtop.api.agent.AgentPlugin;
import org.pf4j.Extension;

/**
 * The agent side of management-sync: the {@code courses} and {@code schedules} sections of the dual-mode sync
 * ({@code --connection-mode both}), read from the file of {@link SyncDataFile}.
 */
@Extension
public final class ManagementSyncAgentPlugin extends AgentPlugin {
    @Override
    protected void configure() {
        install(new AbstractModule() {
            @Override
            protected void configure() {
                bind(SyncDataFile.class).in(Scopes.SINGLETON);
            }
        });
        sync("courses", CoursesSync.class);
        sync("schedules", SchedulesSync.class);
    }
}
