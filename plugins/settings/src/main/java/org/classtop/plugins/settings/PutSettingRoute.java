package org.classtop.plugins.settings;

import jakarta.inject.Inject;
import java.util.Map;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;

/** {@code PUT /api/settings/{uuid}/{key}} with {@code {"value":..}} → the agent's {@code set_setting}. */
public final class PutSettingRoute implements RouteHandler {
    private final AgentCommands agents;

    @Inject
    public PutSettingRoute(AgentCommands agents) {
        this.agents = agents;
    }

    @Override
    public Object handle(ApiRequest request) {
        String key = SettingsRequests.key(request);
        String value = SettingsRequests.value(request, key);
        return agents.request(request.pathParam("uuid"), "set_setting")
                .params(Map.of("key", key, "value", value))
                .requestedBy(request.caller())
                .send();
    }
}
