package org.classtop.plugins.settings;

import jakarta.inject.Inject;
import java.util.Map;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;

/** {@code POST /api/settings/{uuid}/batch} with {@code {"settings":{..}}} → the agent's {@code update_settings_batch}. */
public final class BatchUpdateRoute implements RouteHandler {
    private final AgentCommands agents;

    @Inject
    public BatchUpdateRoute(AgentCommands agents) {
        this.agents = agents;
    }

    @Override
    public Object handle(ApiRequest request) {
        Map<String, String> settings = SettingsRequests.settings(request.bodyAsMap());
        return agents.request(request.pathParam("uuid"), "update_settings_batch")
                .params(Map.of("settings", settings))
                .requestedBy(request.caller())
                .send();
    }
}
