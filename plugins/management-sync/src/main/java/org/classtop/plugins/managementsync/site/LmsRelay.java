package org.classtop.plugins.managementsync.site;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiException;

/**
 * The centre's {@code lms_relay} command: {@code params} = {@code {"target_client":uuid,"command":..,
 * "params":{..},"timeout":seconds?}}. Sends the inner command to the local agent with the platform's
 * {@link AgentCommands} under the centre's request id, naming the centre as who asked. The stage completes with
 * the agent's {@code data}, or fails with the platform's {@link ApiException}: {@code CLIENT_NOT_FOUND},
 * {@code CLIENT_OFFLINE}, {@code COMMAND_TIMEOUT}, {@code COMMAND_FAILED} (and {@code INVALID_REQUEST} for a
 * malformed relay).
 */
final class LmsRelay {
    static final int DEFAULT_TIMEOUT_SECONDS = 30;
    static final int MAX_TIMEOUT_SECONDS = 600;
    private static final ObjectMapper JSON = new ObjectMapper();

    private LmsRelay() {
    }

    @SuppressWarnings("unchecked")
    static CompletionStage<Object> relay(AgentCommands commands, String requestId, JsonNode params, String requestedBy) {
        if (params == null || !params.isObject()) {
            throw ApiException.badRequest("lms_relay needs params with target_client and command.");
        }
        String target = text(params, "target_client");
        String command = text(params, "command");
        JsonNode inner = params.path("params");
        if (!inner.isMissingNode() && !inner.isNull() && !inner.isObject()) {
            throw ApiException.badRequest("lms_relay's params.params must be a JSON object.");
        }
        int timeout = DEFAULT_TIMEOUT_SECONDS;
        JsonNode timeoutNode = params.path("timeout");
        if (!timeoutNode.isMissingNode() && !timeoutNode.isNull()) {
            if (!timeoutNode.isNumber() || timeoutNode.asDouble() <= 0 || timeoutNode.asDouble() > MAX_TIMEOUT_SECONDS) {
                throw ApiException.badRequest("lms_relay's timeout must be a number of seconds above 0 and at most "
                        + MAX_TIMEOUT_SECONDS + ".");
            }
            timeout = (int) Math.ceil(timeoutNode.asDouble());
        }
        Map<String, Object> innerParams = inner.isObject() ? JSON.convertValue(inner, Map.class) : Map.of();
        return commands.request(target, command)
                .params(innerParams)
                .timeout(Duration.ofSeconds(timeout))
                .requestId(requestId)
                .requestedBy(requestedBy)
                .send();
    }

    private static String text(JsonNode params, String field) {
        JsonNode value = params.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw ApiException.badRequest("lms_relay needs params." + field + " (text).");
        }
        return value.asText();
    }
}
