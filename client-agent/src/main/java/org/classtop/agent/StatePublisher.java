package org.classtop.agent;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.classtop.api.Registration;
import org.classtop.api.agent.StateProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Composes {@code state_update} frames from the state sections of every plugin and sends them: right
 * after each {@code registered}, and shortly after {@link #requestPublish()} (a burst of requests
 * makes one frame). Providers run on the publisher's own thread, never on the WebSocket's.
 */
final class StatePublisher {
    private static final Logger LOG = LoggerFactory.getLogger(StatePublisher.class);

    private record Section(String pluginId, StateProvider provider) {
    }

    private final Map<String, Section> sections = new ConcurrentSkipListMap<>();
    private final ScheduledExecutorService executor;
    private final Supplier<Optional<AgentConnection>> registeredConnection;
    private final Duration coalesceWindow;
    private final AtomicBoolean pending = new AtomicBoolean();

    StatePublisher(ScheduledExecutorService executor, Supplier<Optional<AgentConnection>> registeredConnection,
                   Duration coalesceWindow) {
        this.executor = executor;
        this.registeredConnection = registeredConnection;
        this.coalesceWindow = coalesceWindow;
    }

    /** Adds a section; a {@link PluginConflictException} names the plugin that already provides it. */
    Registration register(String section, String pluginId, StateProvider provider) {
        Section entry = new Section(pluginId, provider);
        Section previous = sections.putIfAbsent(section, entry);
        if (previous != null) {
            throw new PluginConflictException("State section '" + section + "' is already provided by plugin '"
                    + previous.pluginId() + "'.");
        }
        return () -> sections.remove(section, entry);
    }

    Optional<String> providerOf(String section) {
        return Optional.ofNullable(sections.get(section)).map(Section::pluginId);
    }

    /** The current state of every section; a failing provider is logged and left out. */
    Map<String, Object> compose() {
        Map<String, Object> state = new LinkedHashMap<>();
        sections.forEach((name, section) -> {
            try {
                state.put(name, section.provider().currentState());
            } catch (Exception | LinkageError e) {
                LOG.warn("State section '{}' of plugin '{}' failed and is left out: {}", name, section.pluginId(),
                        e.toString());
            }
        });
        return state;
    }

    /** Schedules one state_update; requests within the coalescing window share it. */
    void requestPublish() {
        if (pending.compareAndSet(false, true)) {
            try {
                executor.schedule(this::publishPending, coalesceWindow.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                pending.set(false);
            }
        }
    }

    /** Sends the full state on {@code connection} soon (right after it registered). */
    void publishTo(AgentConnection connection) {
        try {
            executor.execute(() -> sendTo(connection));
        } catch (RejectedExecutionException e) {
            LOG.debug("The agent is stopping: no state_update");
        }
    }

    private void publishPending() {
        pending.set(false);
        registeredConnection.get().ifPresent(this::sendTo);
    }

    private void sendTo(AgentConnection connection) {
        if (!connection.isRegistered()) {
            return;
        }
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "state_update");
        frame.put("data", compose());
        try {
            connection.send(frame);
        } catch (RuntimeException e) {
            LOG.error("The state could not be turned into JSON and was not sent", e);
        }
    }
}
