package org.classtop.api.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * One command to one agent, built step by step and sent once:
 * <pre>{@code
 * commands.request(uuid, "get_setting")
 *         .params(Map.of("key", "theme"))
 *         .timeout(Duration.ofSeconds(5))
 *         .requestedBy(request.caller())
 *         .send();
 * }</pre>
 * Everything but the client and the command is optional. Not thread-safe; {@link #send()} may be called once.
 */
public interface CommandRequest {
    /** Longest request id a caller may give. */
    int MAX_REQUEST_ID_LENGTH = 64;

    /** The parameters (default: none), sent as the frame's {@code params} object. */
    CommandRequest params(Map<String, ?> params);

    /** How long to wait for the answer (default {@link AgentCommands#DEFAULT_TIMEOUT}; more than 0, at most 600 s). */
    CommandRequest timeout(Duration timeout);

    /**
     * Sends under this request id instead of a fresh unguessable one, e.g. a relay that forwards a command
     * and must keep the id its caller chose. 1 to {@value #MAX_REQUEST_ID_LENGTH} characters of
     * {@code [A-Za-z0-9._:-]}; the stage fails with 400 {@code INVALID_REQUEST} otherwise and with 409
     * {@code REQUEST_ID_IN_USE} while a command with the same id is still waiting for its answer.
     */
    CommandRequest requestId(String requestId);

    /**
     * Who asked, as the command log records it (at most 128 characters): a user's name, or what a
     * relay was told. Default (and what null keeps): {@code "plugin:<id>"} of the plugin whose
     * {@code AgentCommands} sends it.
     */
    CommandRequest requestedBy(String requestedBy);

    /** The caller of a REST request as the one who asked; a null caller (an open route) names nobody. */
    default CommandRequest requestedBy(Caller caller) {
        return requestedBy(caller == null ? null : caller.name());
    }

    /**
     * Sends the command. The stage completes with the {@code data} of the agent's answer once the command
     * log holds it, or fails with an {@link ApiException} (see {@link AgentCommands}). Continuations run on
     * the platform's command-continuation pool, never on the storage writer or an I/O thread.
     */
    CompletionStage<Object> send();
}
