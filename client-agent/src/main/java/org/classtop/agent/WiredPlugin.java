package org.classtop.agent;

import java.util.ArrayList;
import java.util.List;
import org.classtop.api.Lifecycle;
import org.classtop.api.Registration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One plugin wired into the agent: its registrations (commands, state) and its lifecycles. */
final class WiredPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(WiredPlugin.class);

    private final String pluginId;
    private final List<String> commands;
    private final List<Registration> registrations;
    private final List<Lifecycle> lifecycles;
    private final List<Lifecycle> started = new ArrayList<>();

    WiredPlugin(String pluginId, List<String> commands, List<Registration> registrations, List<Lifecycle> lifecycles) {
        this.pluginId = pluginId;
        this.commands = List.copyOf(commands);
        this.registrations = List.copyOf(registrations);
        this.lifecycles = List.copyOf(lifecycles);
    }

    String pluginId() {
        return pluginId;
    }

    List<String> commands() {
        return commands;
    }

    /** Starts every lifecycle in order; on a failure stops the started ones and rethrows. */
    synchronized void start() throws Exception {
        for (Lifecycle lifecycle : lifecycles) {
            try {
                lifecycle.start();
                started.add(lifecycle);
            } catch (Exception e) {
                stop();
                throw e;
            }
        }
    }

    /** Stops the started lifecycles in reverse order; failures are logged, the rest still stop. */
    synchronized void stop() {
        for (int i = started.size() - 1; i >= 0; i--) {
            Lifecycle lifecycle = started.get(i);
            try {
                lifecycle.stop();
            } catch (Exception | LinkageError e) {
                LOG.warn("Plugin '{}': stopping {} failed", pluginId, lifecycle.getClass().getName(), e);
            }
        }
        started.clear();
    }

    /** Removes its commands and state sections from the runtime. */
    void unregister() {
        for (int i = registrations.size() - 1; i >= 0; i--) {
            registrations.get(i).close();
        }
    }
}
