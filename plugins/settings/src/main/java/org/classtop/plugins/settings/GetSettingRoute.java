package org.classtop.plugins.settings;

import jakarta.inject.Inject;
import java.util.Map;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;

/** {@code GET /api/settings/{uuid}/{key}} → the agent's {@code get_setting}. */
public final class GetSettingRoute implements RouteHandler {
    private final AgentCommands agents;

    @Inject
    public GetSettingRoute(AgentCommands agents) {
        this.agents = agents;
    }

    @Override
    public Object handle(ApiRequest request) {
        return agents.request(request.pathParam("uuid"), "get_setting")
                .params(Map.of("key", SettingsRequests.key(request)))
                .requestedBy(request.caller())
                .send();
    }
}
