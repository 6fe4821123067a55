package org.classtop.plugins.settings;

import jakarta.inject.Inject;
import java.util.Map;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;

/** {@code GET /api/settings/{uuid}} → the agent's {@code get_all_settings}. */
public final class GetAllSettingsRoute implements RouteHandler {
    private final AgentCommands agents;

    @Inject
    public GetAllSettingsRoute(AgentCommands agents) {
        this.agents = agents;
    }

    @Override
    public Object handle(ApiRequest request) {
        return agents.request(request.pathParam("uuid"), "get_all_settings")
                .params(Map.of())
                .requestedBy(request.caller())
                .send();
    }
}
