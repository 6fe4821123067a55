package org.classtop.plugins.settings;

import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/settings/batch} with {@code {"clients":[uuids],"settings":{..}}}: sends
 * {@code update_settings_batch} to every client at once and answers
 * {@code {"results":{uuid:{"success":true,"data":..}|{"success":false,"error":..,"code":..}},"succeeded":n,"failed":m}}.
 */
public final class MultiClientBatchRoute implements RouteHandler {
    static final int MAX_CLIENTS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(MultiClientBatchRoute.class);

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

        Map<String, CompletableFuture<Map<String, Object>>> outcomes = new LinkedHashMap<>();
        for (String client : clients) {
            outcomes.put(client, send(client, params));
        }
        return CompletableFuture.allOf(outcomes.values().toArray(CompletableFuture[]::new))
                .thenApply(ignored -> summary(outcomes));
    }

    private CompletableFuture<Map<String, Object>> send(String client, Map<String, Object> params) {
        CompletionStage<Object> stage;
        try {
            stage = agents.send(client, "update_settings_batch", params);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return stage.handle((data, error) -> error == null ? success(data) : failure(client, error))
                .toCompletableFuture();
    }

    private static Map<String, Object> summary(Map<String, CompletableFuture<Map<String, Object>>> outcomes) {
        Map<String, Object> results = new LinkedHashMap<>();
        int succeeded = 0;
        for (Map.Entry<String, CompletableFuture<Map<String, Object>>> outcome : outcomes.entrySet()) {
            Map<String, Object> result = outcome.getValue().join();
            results.put(outcome.getKey(), result);
            if (Boolean.TRUE.equals(result.get("success"))) {
                succeeded++;
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("results", results);
        answer.put("succeeded", succeeded);
        answer.put("failed", outcomes.size() - succeeded);
        return answer;
    }

    private static Map<String, Object> success(Object data) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("success", true);
        result.put("data", data == null ? Map.of() : data);
        return result;
    }

    private static Map<String, Object> failure(String client, Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("success", false);
        if (cause instanceof ApiException api) {
            result.put("error", api.getMessage());
            result.put("code", api.code());
        } else {
            LOG.error("Sending the settings to client '{}' failed", client, cause);
            result.put("error", "The settings could not be sent to client '" + client + "'.");
            result.put("code", "INTERNAL_ERROR");
        }
        return result;
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
