package org.classtop.plugins.cctv.recording.agent;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.classtop.api.PluginContext;
import org.classtop.api.agent.AgentContext;
import org.classtop.api.agent.CommandRequest;

/** An in-process AgentContext that keeps what the plugin emits, a PluginContext on a folder, and requests from maps. */
final class TestAgent implements AgentContext {
    record Emitted(String name, Map<String, Object> data) {
    }

    final List<Emitted> events = new CopyOnWriteArrayList<>();

    @Override
    public String clientUuid() {
        return "pc-test";
    }

    @Override
    public void stateChanged() {
    }

    @Override
    public void emit(String name, Map<String, Object> data) {
        events.add(new Emitted(name, data));
    }

    long count(String name) {
        return events.stream().filter(e -> e.name().equals(name)).count();
    }

    static PluginContext plugin(String id, Path dataDir, Map<String, String> config) {
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

    static CommandRequest request(String command, Map<String, Object> params) {
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
