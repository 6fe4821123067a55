package org.classtop.plugins.settings;

import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.CommandResult;
import org.classtop.api.server.RouteHandler;

/**
 * {@code POST /api/settings/batch} with {@code {"clients":[uuids],"settings":{..}}}: sends
 * {@code update_settings_batch} to every client at once ({@link AgentCommands#sendAll}) and answers
 * {@code {"results":{uuid:{"success":true,"data":..}|{"success":false,"error":..,"code":..}},"succeeded":n,"failed":m}}.
 */
public final class MultiClientBatchRoute implements RouteHandler {
    static final int MAX_CLIENTS = 1_000;

    private final AgentCommands agents;

    @Inject
    public MultiClientBatchRoute(AgentCommands agents) {
        this.agents = agents;
    }

    @Override
    public Object handle(ApiRequest request) {
        Map<String, Object> body = request.bodyAsMap();
        Set<String> clients = clients(body.get("clients"));
        Map<String, Object> params = Map.of("settings", SettingsRequests.settings(body));
        return agents.sendAll(clients, "update_settings_batch", params, each -> each.requestedBy(request.caller()))
                .thenApply(MultiClientBatchRoute::summary);
    }

    private static Map<String, Object> summary(Map<String, CommandResult> outcomes) {
        Map<String, Object> results = new LinkedHashMap<>();
        int succeeded = 0;
        for (Map.Entry<String, CommandResult> outcome : outcomes.entrySet()) {
            CommandResult result = outcome.getValue();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("success", result.success());
            if (result.success()) {
                succeeded++;
                entry.put("data", result.data() == null ? Map.of() : result.data());
            } else {
                entry.put("error", result.error());
                entry.put("code", result.code());
            }
            results.put(outcome.getKey(), entry);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("results", results);
        answer.put("succeeded", succeeded);
        answer.put("failed", outcomes.size() - succeeded);
        return answer;
    }

    /** A non-empty list of at most {@link #MAX_CLIENTS} uuids, duplicates dropped, order kept. */
    private static Set<String> clients(Object value) {
        if (!(value instanceof List<?> list)) {
            throw ApiException.badRequest("The body needs \"clients\", a list of client uuids.");
        }
        if (list.isEmpty()) {
            throw ApiException.badRequest("\"clients\" must name at least one client.");
        }
        if (list.size() > MAX_CLIENTS) {
            throw ApiException.badRequest("At most " + MAX_CLIENTS + " clients can be changed at once, not "
                    + list.size() + ".");
        }
        Set<String> clients = new LinkedHashSet<>();
        for (Object item : list) {
            if (!(item instanceof String uuid) || uuid.isBlank()) {
                throw ApiException.badRequest("Every entry of \"clients\" must be a client uuid (non-empty text).");
            }
            clients.add(uuid);
        }
        return clients;
    }
}
