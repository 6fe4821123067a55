package org.classtop.agent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.classtop.api.Registration;
import org.classtop.api.agent.CommandException;
import org.classtop.api.agent.CommandHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's command registry: command name → the handler of the one plugin that provides it. Runs a
 * command on the command executor and turns its outcome into a {@code response} frame.
 */
public final class CommandDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    private record Entry(String pluginId, CommandHandler handler) {
    }

    private final Map<String, Entry> commands = new ConcurrentHashMap<>();
    private final ExecutorService executor;

    CommandDispatcher(ExecutorService executor) {
        this.executor = executor;
    }

    /**
     * Registers a command; a {@link PluginConflictException} names the plugin that already provides it.
     * Closing the returned handle removes exactly this registration.
     */
    Registration register(String command, String pluginId, CommandHandler handler) {
        Entry entry = new Entry(pluginId, Objects.requireNonNull(handler, "handler"));
        Entry previous = commands.putIfAbsent(command, entry);
        if (previous != null) {
            throw new PluginConflictException("Command '" + command + "' is already provided by plugin '"
                    + previous.pluginId() + "'.");
        }
        return () -> commands.remove(command, entry);
    }

    /** Which plugin provides {@code command}, if any. */
    java.util.Optional<String> providerOf(String command) {
        return java.util.Optional.ofNullable(commands.get(command)).map(Entry::pluginId);
    }

    /** The command names, sorted: the {@code capabilities} of the register frame. */
    public List<String> commandNames() {
        return List.copyOf(new TreeMap<>(commands).keySet());
    }

    /** Runs one command frame off the caller's thread; the stage always completes with a response frame. */
    CompletableFuture<Map<String, Object>> dispatch(Map<String, Object> frame) {
        Object requestId = frame.get("request_id");
        Object commandValue = frame.get("command");
        Object params = frame.get("params");
        if (!(commandValue instanceof String command) || command.isBlank()) {
            return CompletableFuture.completedFuture(failure(requestId, "The command frame has no command name."));
        }
        if (params != null && !(params instanceof Map<?, ?>)) {
            return CompletableFuture.completedFuture(failure(requestId,
                    "The params of command '" + command + "' must be a JSON object."));
        }
        Entry entry = commands.get(command);
        if (entry == null) {
            return CompletableFuture.completedFuture(failure(requestId,
                    "Unknown command '" + command + "': this agent does not provide it."));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> paramMap = params == null ? Map.of() : (Map<String, Object>) params;
        AgentCommandRequest request = new AgentCommandRequest(command, requestId == null ? null : String.valueOf(requestId),
                paramMap);
        try {
            return CompletableFuture.supplyAsync(() -> run(entry, request, requestId), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(failure(requestId, executor.isShutdown()
                    ? "The agent is shutting down and did not run command '" + command + "'."
                    : "The agent is busy with too many commands and did not run command '" + command + "'."));
        }
    }

    private Map<String, Object> run(Entry entry, AgentCommandRequest request, Object requestId) {
        try {
            Object data = entry.handler().handle(request);
            return success(requestId, data == null ? Map.of() : data);
        } catch (CommandException e) {
            LOG.info("Command '{}' failed: {}", request.command(), e.getMessage());
            return failure(requestId, sentence(e.getMessage(), request.command()), e.code());
        } catch (Exception | LinkageError e) {
            LOG.error("Command '{}' of plugin '{}' threw", request.command(), entry.pluginId(), e);
            String detail = e.getMessage() == null || e.getMessage().isBlank()
                    ? e.getClass().getSimpleName() : e.getMessage();
            return failure(requestId, "Command '" + request.command() + "' failed on the agent: " + trimDot(detail) + ".");
        }
    }

    private static String sentence(String message, String command) {
        return message == null || message.isBlank() ? "Command '" + command + "' failed on the agent." : message;
    }

    private static String trimDot(String text) {
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    static Map<String, Object> success(Object requestId, Object data) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "response");
        frame.put("request_id", requestId);
        frame.put("success", true);
        frame.put("data", data);
        return frame;
    }

    static Map<String, Object> failure(Object requestId, String error) {
        return failure(requestId, error, null);
    }

    /** A failure answer; {@code code} (a {@link CommandException}'s, may be null) goes next to the sentence. */
    static Map<String, Object> failure(Object requestId, String error, String code) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "response");
        frame.put("request_id", requestId);
        frame.put("success", false);
        frame.put("data", code == null ? Map.of("error", error) : Map.of("error", error, "code", code));
        return frame;
    }
}
