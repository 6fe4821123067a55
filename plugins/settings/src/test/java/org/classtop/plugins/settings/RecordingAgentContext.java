package org.classtop.plugins.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.classtop.api.agent.AgentContext;
import org.classtop.api.agent.CommandRequest;

/** Not the harness's FakeAgent (a WebSocket client): an in-process AgentContext that records what the plugin reports, and requests built from a map. */
final class RecordingAgentContext implements AgentContext {
    record Emitted(String name, Map<String, Object> data) {
    }

    final List<Emitted> events = new ArrayList<>();
    int stateChanges;

    @Override
    public String clientUuid() {
        return "pc-test";
    }

    @Override
    public void stateChanged() {
        stateChanges++;
    }

    @Override
    public void emit(String name, Map<String, Object> data) {
        events.add(new Emitted(name, data));
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
