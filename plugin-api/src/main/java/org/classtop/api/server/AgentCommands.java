package org.classtop.api.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Sends a command to a connected agent and completes with the {@code data} of its answer
 * (maps, lists, strings and numbers as parsed from JSON). Every command and its outcome is written
 * to the command log before the stage completes.
 *
 * <p>The stage fails with an {@link ApiException}: 404 {@code CLIENT_NOT_FOUND}, 409
 * {@code CLIENT_PENDING} (not approved yet), 503 {@code CLIENT_OFFLINE} (also when it disconnects
 * before answering), 504 {@code COMMAND_TIMEOUT}, or 502 {@code COMMAND_FAILED} carrying the
 * agent's own sentence.
 */
public interface AgentCommands {
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    CompletionStage<Object> send(String clientUuid, String command, Map<String, ?> params, Duration timeout);

    default CompletionStage<Object> send(String clientUuid, String command, Map<String, ?> params) {
        return send(clientUuid, command, params, DEFAULT_TIMEOUT);
    }
}
