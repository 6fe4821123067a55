package org.classtop.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.classtop.api.PluginContext;
import org.classtop.api.agent.AgentContext;
import org.classtop.api.agent.CommandRequest;

/**
 * For unit tests of a plugin's agent side wired by hand (no agent runtime, no server): an {@link AgentContext}
 * that keeps what the plugin emits, a {@link PluginContext} on a folder with given settings, and command
 * requests built from maps. End-to-end tests use a real agent against {@link TestServer} instead.
 */
public final class AgentFixtures {
    private AgentFixtures() {
    }

    /** An event the plugin emitted. */
    public record Emitted(String name, Map<String, Object> data) {
    }

    /** An agent context that records events and state changes (thread-safe). */
    public static final class RecordingAgentContext implements AgentContext {
        private final String clientUuid;
        private final List<Emitted> events = new CopyOnWriteArrayList<>();
        private final AtomicInteger stateChanges = new AtomicInteger();

        public RecordingAgentContext() {
            this("pc-test");
        }

        public RecordingAgentContext(String clientUuid) {
            this.clientUuid = clientUuid;
        }

        @Override
        public String clientUuid() {
            return clientUuid;
        }

        @Override
        public void stateChanged() {
            stateChanges.incrementAndGet();
        }

        @Override
        public void emit(String name, Map<String, Object> data) {
            events.add(new Emitted(name, data));
        }

        /** Every event so far, oldest first. */
        public List<Emitted> events() {
            return events;
        }

        /** The events of one name, oldest first. */
        public List<Emitted> events(String name) {
            return events.stream().filter(e -> e.name().equals(name)).toList();
        }

        public long count(String name) {
            return events.stream().filter(e -> e.name().equals(name)).count();
        }

        public int stateChanges() {
            return stateChanges.get();
        }
    }

    /** A plugin context for plugin {@code id}, its folder {@code dataDir} and these settings ({@code config(name)}). */
    public static PluginContext pluginContext(String id, Path dataDir, Map<String, String> config) {
        Map<String, String> settings = new HashMap<>(config);
        return new PluginContext() {
            @Override
            public String pluginId() {
                return id;
            }

            @Override
            public String version() {
                return "0.1.0";
            }

            @Override
            public Path dataDir() {
                return dataDir;
            }

            @Override
            public Optional<String> config(String name) {
                return Optional.ofNullable(settings.get(name));
            }
        };
    }

    /** A command request as the agent runtime hands it to a handler. */
    public static CommandRequest request(String command, Map<String, Object> params) {
        return new CommandRequest() {
            @Override
            public String command() {
                return command;
            }

            @Override
            public String requestId() {
                return "r-1";
            }

            @Override
            public Map<String, Object> params() {
                return params;
            }

            @Override
            public Optional<String> optionalString(String name) {
                return Optional.ofNullable(params.get(name)).map(String::valueOf);
            }
        };
    }
}
