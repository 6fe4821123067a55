package org.classtop.api.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.classtop.api.Failures;

/**
 * Sends a command to a connected agent and completes with the {@code data} of its answer
 * (maps, lists, strings and numbers as parsed from JSON). Every command and its outcome is written
 * to the command log before the stage completes.
 *
 * <p>The stage fails with an {@link ApiException}: 404 {@code CLIENT_NOT_FOUND}, 409
 * {@code CLIENT_PENDING} (not approved yet), 503 {@code CLIENT_OFFLINE} (also when it disconnects
 * before answering), 504 {@code COMMAND_TIMEOUT}, or 502 {@code COMMAND_FAILED} carrying the
 * agent's own sentence.
 *
 * <p>Continuations of the stage run on the platform's command-continuation pool (a few named threads),
 * never on the storage writer; blocking there holds up other answers, so hand long work to your own executor.
 */
public interface AgentCommands {
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Most clients one {@link #sendAll} may address. */
    int MAX_FAN_OUT = 10_000;

    /** A command to one client, to give options to and {@link CommandRequest#send() send}. */
    CommandRequest request(String clientUuid, String command);

    default CompletionStage<Object> send(String clientUuid, String command, Map<String, ?> params, Duration timeout) {
        return request(clientUuid, command).params(params).timeout(timeout).send();
    }

    default CompletionStage<Object> send(String clientUuid, String command, Map<String, ?> params) {
        return send(clientUuid, command, params, DEFAULT_TIMEOUT);
    }

    /**
     * Sends the same command to every client at once (duplicates once, order kept) and completes, never
     * exceptionally, when each has its outcome: a map from uuid to {@link CommandResult}, in the order given.
     * {@code options} shapes each client's request (timeout, requested by); it runs once per client.
     * More than {@value #MAX_FAN_OUT} clients fail the stage with 400 {@code INVALID_REQUEST}.
     */
    default CompletionStage<Map<String, CommandResult>> sendAll(Collection<String> clientUuids, String command,
                                                                 Map<String, ?> params, Consumer<CommandRequest> options) {
        LinkedHashSet<String> clients = new LinkedHashSet<>(clientUuids);
        if (clients.size() > MAX_FAN_OUT) {
            return CompletableFuture.failedFuture(ApiException.badRequest("A command can go to at most " + MAX_FAN_OUT
                    + " clients at once, not " + clients.size() + "."));
        }
        List<CompletableFuture<CommandResult>> outcomes = new ArrayList<>(clients.size());
        for (String client : clients) {
            CompletionStage<Object> stage;
            try {
                CommandRequest request = request(client, command).params(params);
                if (options != null) {
                    options.accept(request);
                }
                stage = request.send();
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            outcomes.add(stage.handle((data, error) -> error == null ? CommandResult.ok(data) : resultOf(error))
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            Map<String, CommandResult> results = new LinkedHashMap<>();
            int i = 0;
            for (String client : clients) {
                results.put(client, outcomes.get(i++).join());
            }
            return results;
        });
    }

    default CompletionStage<Map<String, CommandResult>> sendAll(Collection<String> clientUuids, String command,
                                                                 Map<String, ?> params) {
        return sendAll(clientUuids, command, params, null);
    }

    private static CommandResult resultOf(Throwable error) {
        Throwable cause = Failures.unwrap(error);
        if (cause instanceof ApiException api) {
            return CommandResult.failed(api.code(), api.getMessage());
        }
        return CommandResult.failed("INTERNAL_ERROR", "The command could not be sent.");
    }
}
