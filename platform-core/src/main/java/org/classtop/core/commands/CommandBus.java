package org.classtop.core.commands;

import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.CommandFailedException;
import org.classtop.api.server.CommandRequest;
import org.classtop.core.Timers;
import org.classtop.core.audit.AuditTrail;
import org.classtop.core.clients.ClientDirectory;
import org.classtop.core.clients.ClientState;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.hub.AgentSession;
import org.classtop.core.hub.AgentSessions;
import org.classtop.core.hub.CommandAnswers;
import org.classtop.core.hub.Utf8;
import org.classtop.core.json.Json;
import org.classtop.core.storage.CommandLogRepository;
import org.classtop.core.storage.CommandLogRepository.CommandLogEntry;
import org.classtop.core.metrics.ServerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends commands to agents and matches their answers by request id. Each command's outcome
 * (answer, failure, time-out, disconnect) is written to the command log, and the caller's stage
 * completes only once that row is committed: whoever saw an answer can find it in the log, even
 * after a crash. No thread waits for an agent; time-outs run on the shared timer. Stages complete on
 * the {@link CommandContinuations} pool, never on the storage writer (but {@link #sendForHttpAnswer}: the HTTP
 * route's own stage, whose only continuation hands the answer to an I/O thread). Who asked is passed with each
 * request ({@link CommandRequest#requestedBy}), never taken from the thread.
 */
@Singleton
public final class CommandBus implements AgentCommands, CommandAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(CommandBus.class);
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
    private static final int MAX_COMMAND_LENGTH = 128;
    private static final int MAX_REQUESTED_BY_LENGTH = 128;
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1," + CommandRequest.MAX_REQUEST_ID_LENGTH + "}");
    /** Parameters or answers larger than this (as JSON) are not copied into the command log. */
    static final int MAX_LOGGED_CHARS = 16 * 1024;

    private final ClientDirectory directory;
    private final AgentSessions sessions;
    private final CommandLogRepository log;
    private final Timers timers;
    private final Executor continuations;
    private final Duration defaultTimeout;
    private final PendingCommands pending = new PendingCommands();
    private final ServerMetrics metrics;
    private final int maxCommandBytes;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();

    @Inject
    public CommandBus(ClientDirectory directory, AgentSessions sessions, CommandLogRepository log, Timers timers,
                      CommandContinuations continuations, ServerConfig config, ServerMetrics metrics) {
        this.metrics = metrics;
        this.directory = directory;
        this.sessions = sessions;
        this.log = log;
        this.timers = timers;
        this.continuations = continuations;
        this.defaultTimeout = config.commandTimeout();
        this.maxCommandBytes = config.limits().maxCommandBytes();
    }

    @Override
    public CommandRequest request(String clientUuid, String command) {
        return new Request(clientUuid, command);
    }

    /**
     * The {@link AgentCommands} for one plugin's own injector: its commands name {@code plugin:<id>} as the
     * requester unless the plugin names someone ({@link CommandRequest#requestedBy}), e.g. the REST caller.
     */
    public AgentCommands forPlugin(String pluginId) {
        String requester = "plugin:" + pluginId;
        return (clientUuid, command) -> request(clientUuid, command).requestedBy(requester);
    }

    /** The options of one command; {@link #send()} hands it to the bus once. */
    private final class Request implements CommandRequest {
        private final String clientUuid;
        private final String command;
        private Map<String, ?> params = Map.of();
        private Duration timeout;
        private String requestId;
        private String requestedBy;
        private boolean sent;
        private boolean completesOnWriter;

        Request(String clientUuid, String command) {
            this.clientUuid = clientUuid;
            this.command = command;
        }

        private CommandBus bus() {
            return CommandBus.this;
        }

        @Override
        public CommandRequest params(Map<String, ?> params) {
            this.params = params == null ? Map.of() : params;
            return this;
        }

        @Override
        public CommandRequest timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        @Override
        public CommandRequest requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        @Override
        public CommandRequest requestedBy(String requestedBy) {
            if (requestedBy != null) { // null keeps the default (the plugin's own name)
                this.requestedBy = requestedBy;
            }
            return this;
        }

        @Override
        public CompletionStage<Object> send() {
            if (sent) {
                return CompletableFuture.failedFuture(new IllegalStateException("This command request was sent already."));
            }
            sent = true;
            return CommandBus.this.send(this);
        }
    }

    /**
     * Sends a request made by {@link #request} like {@link CommandRequest#send()}, but its stage completes on the
     * storage writer's thread right after the command's log row is committed, instead of on the continuation pool
     * by way of the writer's completion thread: two thread hand-offs fewer per command. For the platform's HTTP
     * route only, whose sole continuation moves the answer to the exchange's I/O thread ({@code ApiHttpHandler});
     * a continuation that blocked there would hold up every database write.
     */
    public CompletionStage<Object> sendForHttpAnswer(CommandRequest request) {
        if (!(request instanceof Request own) || own.bus() != this) {
            throw new IllegalArgumentException("Not a request of this command bus.");
        }
        own.completesOnWriter = true;
        return own.send();
    }

    private CompletionStage<Object> send(Request request) {
        String command = request.command;
        String clientUuid = request.clientUuid;
        AuditTrail.detail("command", command); // the name only: parameters may hold secrets
        AuditTrail.detail("client", clientUuid);
        if (command == null || command.isBlank() || command.length() > MAX_COMMAND_LENGTH) {
            return CompletableFuture.failedFuture(ApiException.badRequest("The command name must be 1 to 128 characters."));
        }
        Duration effective = request.timeout == null ? defaultTimeout : request.timeout;
        if (effective.isNegative() || effective.isZero() || effective.compareTo(MAX_TIMEOUT) > 0) {
            return CompletableFuture.failedFuture(ApiException.badRequest("The timeout must be more than 0 and at most 600 seconds."));
        }
        if (request.requestId != null && !REQUEST_ID.matcher(request.requestId).matches()) {
            return CompletableFuture.failedFuture(ApiException.badRequest("A request id must be 1 to "
                    + CommandRequest.MAX_REQUEST_ID_LENGTH + " characters of letters, digits and . _ : -"));
        }
        if (request.requestedBy != null && request.requestedBy.length() > MAX_REQUESTED_BY_LENGTH) {
            return CompletableFuture.failedFuture(ApiException.badRequest("Who requested a command must be named in at most "
                    + MAX_REQUESTED_BY_LENGTH + " characters."));
        }
        ClientState client = clientUuid == null ? null : directory.state(clientUuid);
        if (client == null) {
            return CompletableFuture.failedFuture(ApiException.notFound("CLIENT_NOT_FOUND",
                    "No client with uuid '" + clientUuid + "' is known to this server."));
        }
        AgentSession session = sessions.get(clientUuid);
        if (session == null) {
            metrics.commandNotSent("offline");
            return CompletableFuture.failedFuture(offline(client));
        }
        if (!session.approved()) {
            metrics.commandNotSent("error");
            return CompletableFuture.failedFuture(ApiException.conflict("CLIENT_PENDING",
                    "Client " + client.label() + " is waiting for an administrator's approval and takes no commands yet."));
        }
        Map<String, ?> params = request.params;
        String requestId = request.requestId != null ? request.requestId : RequestIds.next();
        // When the caller stops waiting: an agent that reads this late (it sat in a socket buffer) drops it.
        double deadline = (System.currentTimeMillis() + effective.toMillis()) / 1000.0;
        String text = commandFrame(requestId, command, params, deadline);
        if (Utf8.longerThan(text, maxCommandBytes)) {
            metrics.commandNotSent("error");
            return CompletableFuture.failedFuture(new ApiException(413, "COMMAND_TOO_LARGE", "The command '" + command
                    + "' with its parameters is larger than the limit of " + maxCommandBytes + " bytes."));
        }
        Map<String, ?> loggedParams = Utf8.longerThan(text, MAX_LOGGED_CHARS) ? notKept("parameters", text.length())
                : withoutUrlPasswords(params);
        PendingCommand p = new PendingCommand(requestId, client, session, command, loggedParams, request.requestedBy,
                request.completesOnWriter);
        if (!pending.add(p)) {
            return CompletableFuture.failedFuture(ApiException.conflict("REQUEST_ID_IN_USE",
                    "A command with request id '" + requestId + "' is still waiting for its answer; use another id."));
        }
        p.timeout = timers.schedule(() -> timedOut(p, effective), effective.toMillis());

        if (session.isClosed()) {
            // It closed between the lookup and now: its disconnect may already have failed the others.
            finish(p, "offline", null, null, offline(client));
        } else if (!session.send(text, () -> pending.contains(p))) {
            finish(p, "error", null, null, new ApiException(503, "CLIENT_BUSY", "Client " + client.label()
                    + " is not reading its messages (too much unsent to it); try again later."));
        } else {
            sent.incrementAndGet();
        }
        return p.result.minimalCompletionStage();
    }

    /** The command frame of SPEC section 4, written straight from the parameters (no JSON tree in between). */
    public static String commandFrame(String requestId, String command, Map<String, ?> params, double deadline) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator frame = Json.mapper().createGenerator(out)) {
            frame.writeStartObject();
            frame.writeStringField("type", "command");
            frame.writeStringField("request_id", requestId);
            frame.writeStringField("command", command);
            frame.writeFieldName("params");
            Json.mapper().writeValue(frame, params);
            frame.writeNumberField("deadline", deadline);
            frame.writeEndObject();
            frame.flush();
            return out.toString();
        } catch (IOException e) {
            throw new IllegalArgumentException("The parameters cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public void onResponse(AgentSession session, String requestId, boolean success, Object data, int frameChars) {
        PendingCommand p = pending.get(requestId);
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
            finish(p, "failed", false, data, new CommandFailedException(sentence, data));
        }
    }

    @Override
    public void sessionClosed(AgentSession session, ClientState client) {
        for (PendingCommand p : pending.of(session)) {
            finish(p, "offline", null, null, new ApiException(503, "CLIENT_OFFLINE", "Client " + client.label()
                    + " disconnected before answering '" + p.command + "'."));
        }
    }

    private void timedOut(PendingCommand p, Duration timeout) {
        finish(p, "timeout", null, null, new ApiException(504, "COMMAND_TIMEOUT", "Client " + p.client.label()
                + " did not answer '" + p.command + "' within " + seconds(timeout) + "."));
    }

    /**
     * Removes the command, writes its log row and, once it is committed, completes the caller's stage on the
     * continuation pool (the storage writer completes the append and must go straight on with the next batch), or
     * for {@link #sendForHttpAnswer} on the writer's thread.
     */
    private void finish(PendingCommand p, String status, Boolean success, Object response, ApiException failure) {
        if (!pending.remove(p)) {
            return;
        }
        ScheduledFuture<?> timeout = p.timeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
        Instant answeredAt = Instant.now();
        long durationNanos = System.nanoTime() - p.startNanos;
        long durationMs = durationNanos / 1_000_000;
        metrics.commandFinished(status, durationNanos);
        @SuppressWarnings("unchecked")
        CommandLogEntry entry = new CommandLogEntry(0, p.requestId, p.client.uuid(), p.command, (Map<String, Object>) p.loggedParams,
                success, status, p.responseCharsNotLogged > 0 ? notKept("answer", p.responseCharsNotLogged) : response, failure == null ? null : failure.getMessage(), p.requestedBy, p.sentAt,
                answeredAt, durationMs);
        if (p.completesOnWriter) {
            log.append(entry, writeError -> complete(p, response, failure, writeError));
        } else {
            log.append(entry).whenCompleteAsync((ignored, writeError) -> complete(p, response, failure, writeError),
                    continuations);
        }
    }

    /** Completes the caller's stage once the log row is committed (or could not be). */
    private void complete(PendingCommand p, Object response, ApiException failure, Throwable writeError) {
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
    }

    /**
     * What the command log keeps instead of parameters or an answer over {@value #MAX_LOGGED_CHARS} characters:
     * a row per command stays small however large the commands, so a flood of them cannot fill the database.
     */
    private static Map<String, Object> notKept(String what, int chars) {
        return Map.of("not_kept", "The " + what + " (" + chars + " characters) are larger than the command log keeps ("
                + MAX_LOGGED_CHARS / 1024 + " KiB).");
    }

    /** {@code user:password@} in a URL (a camera's rtsp://, a stream target): the password is not for the log. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://[^/@\\s:]*):[^/@\\s]*@");

    /**
     * The parameters as the command log keeps them: every URL password replaced by {@code ***} (the agent still
     * gets them as sent). Copies only when there is something to hide.
     */
    static Map<String, ?> withoutUrlPasswords(Map<String, ?> params) {
        if (params == null || !URL_PASSWORD.matcher(String.valueOf(params)).find()) {
            return params;
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> copy = (Map<String, ?>) redact(params);
        return copy;
    }

    private static Object redact(Object value) {
        if (value instanceof String text) {
            return URL_PASSWORD.matcher(text).replaceAll("$1:***@");
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, redact(v)));
            return copy;
        }
        if (value instanceof java.util.Collection<?> list) {
            return list.stream().map(CommandBus::redact).toList();
        }
        return value;
    }

    private static ApiException offline(ClientState client) {
        return new ApiException(503, "CLIENT_OFFLINE", "Client " + client.label() + " is offline.");
    }

    @SuppressWarnings("unchecked")
    /** Longest failure sentence of an agent kept (a hostile agent's megabyte stays out of the command log). */
    private static final int MAX_AGENT_SENTENCE = 1024;

    private static String errorSentence(Object data, String command) {
        if (data instanceof Map<?, ?> map) {
            Object error = ((Map<String, Object>) map).get("error");
            if (error == null) {
                error = ((Map<String, Object>) map).get("message");
            }
            if (error != null && !error.toString().isBlank()) {
                String sentence = error.toString(); // the agent's words: kept short in the answer and the log
                return sentence.length() <= MAX_AGENT_SENTENCE ? sentence : sentence.substring(0, MAX_AGENT_SENTENCE) + "…";
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
