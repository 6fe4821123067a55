package org.classtop.plugins.settings;

import jakarta.inject.Inject;
import java.util.Map;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;

/**
 * {@code DELETE /api/settings/{uuid}/{key}} → the agent's {@code delete_setting}; a key the client does not
 * have is a 404 {@code SETTING_NOT_FOUND}.
 */
public final class DeleteSettingRoute implements RouteHandler {
    private final AgentCommands agents;

    @Inject
    public DeleteSettingRoute(AgentCommands agents) {
        this.agents = agents;
    }

    @Override
    public Object handle(ApiRequest request) {
        String key = SettingsRequests.key(request);
        String uuid = request.pathParam("uuid");
        return agents.request(uuid, "delete_setting")
                .params(Map.of("key", key))
                .requestedBy(request.caller())
                .send()
                .thenApply(answer -> {
                    if (answer instanceof Map<?, ?> data && Boolean.FALSE.equals(data.get("deleted"))) {
                        throw ApiException.notFound("SETTING_NOT_FOUND",
                                "Client '" + uuid + "' has no setting '" + key + "'.");
                    }
                    return answer;
                });
    }
}
