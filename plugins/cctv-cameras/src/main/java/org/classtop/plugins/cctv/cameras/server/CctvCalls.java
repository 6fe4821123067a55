package org.classtop.plugins.cctv.cameras.server;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.classtop.api.Failures;
import org.classtop.api.PluginContext;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.CommandFailedException;

/**
 * What the server sides of the three CCTV plugins share: the id rules, checked before anything reaches
 * an agent, and one call to an agent whose failures keep the agent's meaning ({@code CAMERA_NOT_FOUND}
 * is a 404, not a 502). Public so that cctv-recording and cctv-storage (which depend on this plugin) use
 * the same rules.
 */
public final class CctvCalls {
    /** camera_id: 1 to 64 of {@code [A-Za-z0-9_-]}. */
    public static final Pattern CAMERA_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern RECORDING_ID = Pattern.compile("[1-9][0-9]{0,17}");

    private CctvCalls() {
    }

    /** The camera id, or 400 {@code BAD_CAMERA_ID} with a sentence. */
    public static String cameraId(Object value) {
        if (value == null || value.toString().isEmpty()) {
            throw new ApiException(400, "BAD_CAMERA_ID", "A camera_id is required: 1 to 64 letters, digits, '_' or '-'.");
        }
        String id = value.toString();
        if (!(value instanceof String) || !CAMERA_ID.matcher(id).matches()) {
            throw new ApiException(400, "BAD_CAMERA_ID", "The camera_id '" + shorten(id)
                    + "' is not valid: use 1 to 64 letters, digits, '_' or '-'.");
        }
        return id;
    }

    /** A recording id (the index row id, a positive whole number), or 400 {@code BAD_RECORDING_ID}. */
    public static long recordingId(String value) {
        if (value == null || !RECORDING_ID.matcher(value).matches()) {
            throw new ApiException(400, "BAD_RECORDING_ID", "The recording id '" + shorten(String.valueOf(value))
                    + "' is not valid: it is a positive whole number.");
        }
        return Long.parseLong(value);
    }

    /** An ISO-8601 instant ({@code 2026-12-03T08:15:00Z}) of a query parameter, normalised to UTC; null when absent. */
    public static String instant(ApiRequest request, String name) {
        String text = request.queryText(name).orElse(null);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text).toString();
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(text).toInstant().toString();
            } catch (DateTimeParseException again) {
                throw new ApiException(400, "BAD_TIME", "The query parameter '" + name + "' must be an ISO-8601 time "
                        + "such as 2026-12-03T08:15:00Z, not '" + shorten(text) + "'.");
            }
        }
    }

    /**
     * Sends {@code command} on behalf of the caller of {@code request} and maps the agent's failure codes:
     * {@code *_NOT_FOUND} 404, {@code BAD_*} 400, {@code *_EXISTS}, {@code *_BUSY}, {@code NOT_RECORDING}
     * 409, {@code NO_FRAME_YET} 503; other failures stay 502 {@code COMMAND_FAILED}. The platform's own
     * failures pass unchanged (404 {@code CLIENT_NOT_FOUND}, 503 {@code CLIENT_OFFLINE}, 504 {@code COMMAND_TIMEOUT}).
     */
    public static CompletionStage<Object> send(AgentCommands commands, ApiRequest request, String command,
                                               Map<String, ?> params, Duration timeout) {
        CompletionStage<Object> sent;
        try {
            sent = commands.request(request.pathParam("uuid"), command).params(params).timeout(timeout)
                    .requestedBy(request.caller()).send();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return mapFailures(sent);
    }

    /** With the plugin's {@code COMMAND_TIMEOUT} setting (default 30 s). */
    public static CompletionStage<Object> send(AgentCommands commands, PluginContext context, ApiRequest request,
                                               String command, Map<String, ?> params) {
        return send(commands, request, command, params, timeout(context));
    }

    /** How long a route waits for its agent: the plugin's {@code COMMAND_TIMEOUT} setting, 30 s by default. */
    public static Duration timeout(PluginContext context) {
        Duration timeout = context.configDuration("COMMAND_TIMEOUT", AgentCommands.DEFAULT_TIMEOUT);
        return timeout.isZero() || timeout.compareTo(Duration.ofMinutes(10)) > 0 ? AgentCommands.DEFAULT_TIMEOUT : timeout;
    }

    /** The stage with an agent's coded failure turned into the status it means. */
    public static <T> CompletionStage<T> mapFailures(CompletionStage<T> stage) {
        CompletableFuture<T> mapped = new CompletableFuture<>();
        stage.whenComplete((value, error) -> {
            if (error == null) {
                mapped.complete(value);
            } else {
                mapped.completeExceptionally(map(error));
            }
        });
        return mapped;
    }

    /** The failure as the API answers it (see {@link #send}). */
    public static Throwable map(Throwable error) {
        Throwable cause = Failures.unwrap(error);
        if (cause instanceof CommandFailedException failed && failed.agentCode() != null) {
            String code = failed.agentCode();
            int status = statusOf(code);
            return status == 502 ? failed : new ApiException(status, code, failed.getMessage());
        }
        return cause;
    }

    static int statusOf(String code) {
        if (code.endsWith("_NOT_FOUND")) {
            return 404;
        }
        if (code.startsWith("BAD_")) {
            return 400;
        }
        if (code.endsWith("_EXISTS") || code.endsWith("_BUSY") || code.equals("NOT_RECORDING")) {
            return 409;
        }
        if (code.equals("NO_FRAME_YET")) {
            return 503;
        }
        return 502;
    }

    /** An untrusted value in a sentence: at most 80 characters. */
    public static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "…";
    }
}
