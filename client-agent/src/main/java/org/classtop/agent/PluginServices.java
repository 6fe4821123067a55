package org.classtop.agent;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.classtop.api.Registration;
import org.classtop.api.agent.AgentInfo;
import org.classtop.api.Scheduler;
import org.classtop.api.agent.BinaryStreams;

/**
 * What the runtime offers every agent-side plugin beyond its contexts: {@link AgentInfo}, and its own
 * {@link BinaryStreams} and {@link Scheduler}, which are closed with the plugin's registrations.
 */
final class PluginServices {
    private final AgentInfo info;
    private final AgentBinaryLane lane;
    private final ScheduledExecutorService tasks;

    PluginServices(AgentInfo info, AgentBinaryLane lane, ScheduledExecutorService tasks) {
        this.info = info;
        this.lane = lane;
        this.tasks = tasks;
    }

    /** The bindings for plugin {@code pluginId}; what must be closed when it stops is added to {@code registrations}. */
    Module moduleFor(String pluginId, List<Registration> registrations) {
        PluginBinaryStreams streams = new PluginBinaryStreams(pluginId, lane);
        PluginScheduler scheduler = new PluginScheduler(pluginId, tasks);
        registrations.add(streams);
        registrations.add(scheduler);
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(AgentInfo.class).toInstance(info);
                bind(BinaryStreams.class).toInstance(streams);
                bind(Scheduler.class).toInstance(scheduler);
            }
        };
    }
}
