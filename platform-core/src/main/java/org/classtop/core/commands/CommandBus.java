package org.classtop.core.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiException;
import org.classtop.core.Timers;
import org.classtop.core.audit.AuditTrail;
import org.classtop.core.auth.CurrentCaller;
import org.classtop.core.auth.Secrets;
import org.classtop.core.clients.ClientDirectory;
import org.classtop.core.clients.ClientState;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.hub.AgentHub;
import org.classtop.core.hub.AgentSession;
import org.classtop.core.hub.Utf8;
import org.classtop.core.json.Json;
import org.classtop.core.storage.CommandLogRepository;
import org.classtop.core.storage.CommandLogRepository.CommandLogEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends commands to agents and matches their answers by request id. Each command's outcome
 * (answer, failure, time-out, disconnect) is written to the command log, and the caller's stage
 * completes only once that row is committed: whoever saw an answer can find it in the log, even
 * after a crash. No thread waits for an agent; time-outs run on the shared timer.
 */
@Singleton
public final class CommandBus implements AgentCommands {
    private static final Logger LOG = LoggerFactory.getLogger(CommandBus.class);
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
    private static final int MAX_COMMAND_LENGTH = 128;
    /** Parameters or answers larger than this (as JSON) are not copied into the command log. */
    static final int MAX_LOGGED_CHARS = 16 * 1024;

    private final ClientDirectory directory;
    private final AgentHub hub;
    private final CommandLogRepository log;
    private final Timers timers;
    private final Duration defaultTimeout;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final int maxCommandBytes;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();

    private final class Pending {
        final String requestId;
        final ClientState client;
        final AgentSession session;
        final String command;
        final Map<String, ?> params;
        /** The parameters as the command log keeps them: bounded in size. */
        Map<String, ?> loggedParams;
        /** The answer's size when it is too large for the command log, else 0. */
        volatile int responseCharsNotLogged;
        final String requestedBy;
        final Instant sentAt = Instant.now();
        final long startNanos = System.nanoTime();
        final CompletableFuture<Object> result = new CompletableFuture<>();
        volatile ScheduledFuture<?> timeout;

        Pending(String requestId, ClientState client, AgentSession session, String command, Map<String, ?> params, String requestedBy) {
            this.requestId = requestId;
            this.client = client;
            this.session = session;
            this.command = command;
            this.params = params;
            this.requestedBy = requestedBy;
        }
    }

    @Inject
    public CommandBus(ClientDirectory directory, AgentHub hub, CommandLogRepository log, Timers timers, ServerConfig config) {
        this.directory = directory;
        this.hub = hub;
        this.log = log;
        this.timers = timers;
        this.defaultTimeout = config.commandTimeout();
        this.maxCommandBytes = config.limits().maxCommandBytes();
    }

    @Override
    public CompletionStage<Object> send(String clientUuid, String command, Map<String, ?> params, Duration timeout) {
        AuditTrail.detail("command", command); // the name only: parameters may hold secrets
        AuditTrail.detail("client", clientUuid);
        if (command == null || command.isBlank() || command.length() > MAX_COMMAND_LENGTH) {
            return CompletableFuture.failedFuture(ApiException.badRequest("The command name must be 1 to 128 characters."));
        }
        Duration effective = timeout == null ? defaultTimeout : timeout;
        if (effective.isNegative() || effective.isZero() || effective.compareTo(MAX_TIMEOUT) > 0) {
            return CompletableFuture.failedFuture(ApiException.badRequest("The timeout must be more than 0 and at most 600 seconds."));
        }
        ClientState client = directory.state(clientUuid);
        if (client == null) {
            return CompletableFuture.failedFuture(ApiException.notFound("CLIENT_NOT_FOUND",
                    "No client with uuid '" + clientUuid + "' is known to this server."));
        }
        AgentSession session = hub.session(clientUuid);
        if (session == null) {
            return CompletableFuture.failedFuture(offline(client));
        }
        if (!session.approved()) {
            return CompletableFuture.failedFuture(ApiException.conflict("CLIENT_PENDING",
                    "Client " + client.label() + " is waiting for an administrator's approval and takes no commands yet."));
        }
        Map<String, ?> safeParams = params == null ? Map.of() : params;
        // Unguessable: an answer is matched by its request id, so no one can predict the next one.
        String requestId = Secrets.newToken("req_");
        ObjectNode frame = Json.mapper().createObjectNode();
        frame.put("type", "command");
        frame.put("request_id", requestId);
        frame.put("command", command);
        frame.set("params", Json.mapper().valueToTree(safeParams));
        // When the caller stops waiting: an agent that reads this late (it sat in a socket buffer) drops it.
        frame.put("deadline", (System.currentTimeMillis() + effective.toMillis()) / 1000.0);
        String text = frame.toString();
        if (Utf8.longerThan(text, maxCommandBytes)) {
            return CompletableFuture.failedFuture(new ApiException(413, "COMMAND_TOO_LARGE", "The command '" + command
                    + "' with its parameters is larger than the limit of " + maxCommandBytes + " bytes."));
        }
        Pending p = new Pending(requestId, client, session, command, safeParams, CurrentCaller.name());
        p.loggedParams = Utf8.longerThan(text, MAX_LOGGED_CHARS) ? notKept("parameters", text.length()) : safeParams;
        pending.put(requestId, p);
        session.pendingRequests().add(requestId);
        p.timeout = timers.schedule(() -> timedOut(requestId, effective), effective.toMillis());

        if (session.isClosed()) {
            // It closed between the lookup and now: its disconnect may already have failed the others.
            finish(p, "offline", null, null, offline(client));
        } else if (!session.send(text, () -> pending.get(requestId) == p)) {
            finish(p, "error", null, null, new ApiException(503, "CLIENT_BUSY", "Client " + client.label()
                    + " is not reading its messages (too much unsent to it); try again later."));
        } else {
            sent.incrementAndGet();
        }
        return p.result;
    }

    /** An agent's {@code response} frame of {@code frameChars} characters (I/O thread). */
    public void onResponse(AgentSession session, String requestId, boolean success, Object data, int frameChars) {
        Pending p = pending.get(requestId);
        if (p == null || p.session != session) {
            LOG.debug("Ignoring a response to unknown or expired request {}", requestId);
            return;
        }
        if (frameChars > MAX_LOGGED_CHARS) {
            p.responseCharsNotLogged = frameChars;
        }
        if (success) {
            finish(p, "ok", true, data, null);
        } else {
            String sentence = errorSentence(data, p.command);
            finish(p, "failed", false, data, new ApiException(502, "COMMAND_FAILED", sentence));
        }
    }

    /** The session closed: every command still waiting on it fails as offline. */
    public void failPending(AgentSession session, ClientState client) {
        for (String requestId : session.pendingRequests()) {
            Pending p = pending.get(requestId);
            if (p != null) {
                finish(p, "offline", null, null, new ApiException(503, "CLIENT_OFFLINE", "Client " + client.label()
                        + " disconnected before answering '" + p.command + "'."));
            }
        }
    }

    private void timedOut(String requestId, Duration timeout) {
        Pending p = pending.get(requestId);
        if (p != null) {
            finish(p, "timeout", null, null, new ApiException(504, "COMMAND_TIMEOUT", "Client " + p.client.label()
                    + " did not answer '" + p.command + "' within " + seconds(timeout) + "."));
        }
    }

    /** Removes the command, writes its log row and completes the caller's stage after the commit. */
    private void finish(Pending p, String status, Boolean success, Object response, ApiException failure) {
        if (pending.remove(p.requestId) == null) {
            return;
        }
        p.session.pendingRequests().remove(p.requestId);
        ScheduledFuture<?> timeout = p.timeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
        Instant answeredAt = Instant.now();
        long durationMs = (System.nanoTime() - p.startNanos) / 1_000_000;
        @SuppressWarnings("unchecked")
        CommandLogEntry entry = new CommandLogEntry(0, p.requestId, p.client.uuid(), p.command, (Map<String, Object>) p.loggedParams,
                success, status, p.responseCharsNotLogged > 0 ? notKept("answer", p.responseCharsNotLogged) : response, failure == null ? null : failure.getMessage(), p.requestedBy, p.sentAt,
                answeredAt, durationMs);
        log.append(entry).whenComplete((ignored, writeError) -> {
            finished.incrementAndGet();
            if (writeError != null) {
                LOG.error("Command {} to {} could not be logged: {}", p.command, p.client.uuid(), writeError.getMessage());
                p.result.completeExceptionally(new ApiException(503, "LOG_UNAVAILABLE",
                        "The command ran, but its log entry could not be saved, so its answer is withheld."));
            } else if (failure != null) {
                p.result.completeExceptionally(failure);
            } else {
                p.result.complete(response);
            }
        });
    }

    /**
     * What the command log keeps instead of parameters or an answer over {@value #MAX_LOGGED_CHARS} characters:
     * a row per command stays small however large the commands, so a flood of them cannot fill the database.
     */
    private static Map<String, Object> notKept(String what, int chars) {
        return Map.of("not_kept", "The " + what + " (" + chars + " characters) are larger than the command log keeps ("
                + MAX_LOGGED_CHARS / 1024 + " KiB).");
    }

    private static ApiException offline(ClientState client) {
        return new ApiException(503, "CLIENT_OFFLINE", "Client " + client.label() + " is offline.");
    }

    @SuppressWarnings("unchecked")
    private static String errorSentence(Object data, String command) {
        if (data instanceof Map<?, ?> map) {
            Object error = ((Map<String, Object>) map).get("error");
            if (error == null) {
                error = ((Map<String, Object>) map).get("message");
            }
            if (error != null && !error.toString().isBlank()) {
                return error.toString();
            }
        }
        return "The client could not run '" + command + "' and gave no reason.";
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** Commands answered, failed or timed out since start (the live feed reports the change each second). */
    public long finishedCount() {
        return finished.get();
    }

    public Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("commands_pending", pending.size());
        stats.put("commands_sent", sent.get());
        stats.put("commands_finished", finished.get());
        return stats;
    }
}
