package org.classtop.plugins.managementsync.centre;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.classtop.api.Failures;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ClientInfo;
import org.classtop.api.server.Clients;
import org.classtop.api.server.CommandFailedException;

/**
 * {@code POST /api/control/command}: a client connected to the centre's own {@code /ws} is reached directly;
 * any other through the LMS that holds it, as {@code lms_relay} over that LMS's WebSocket with the same
 * request id. The LMS's failure codes become the centre's statuses (404, 503, 504, 502).
 */
@Singleton
final class CommandRouter {
    static final String RELAY = "lms_relay";
    /** The centre waits this much longer than the client's timeout, so that the LMS's own 504 arrives first. */
    static final Duration RELAY_MARGIN = Duration.ofSeconds(5);
    static final int MAX_TIMEOUT_SECONDS = 595;
    private static final Pattern COMMAND = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final Centre centre;
    private final Clients clients;
    private final AgentCommands commands;

    @Inject
    CommandRouter(Centre centre, Clients clients, AgentCommands commands) {
        this.centre = centre;
        this.clients = clients;
        this.commands = commands;
    }

    CompletionStage<Object> route(Map<String, Object> body, String requestedBy) {
        String target = Bodies.uuid(body, "target_client");
        String command = Bodies.text(body, "command", true, 128);
        if (!COMMAND.matcher(command).matches()) {
            throw Bodies.invalid("The field 'command' must be 1 to 128 letters, digits, '.', '_', ':' or '-'.");
        }
        String requestId = Bodies.text(body, "request_id", false, 64);
        if (requestId != null && !REQUEST_ID.matcher(requestId).matches()) {
            throw Bodies.invalid("The field 'request_id' must be 1 to 64 letters, digits, '.', '_', ':' or '-'.");
        }
        Object paramsValue = body.get("params");
        Map<String, Object> params = paramsValue == null ? Map.of() : Bodies.object(paramsValue, "params");
        long timeoutSeconds = Bodies.whole(body, "timeout", false, 1, MAX_TIMEOUT_SECONDS) == null ? 30
                : Bodies.whole(body, "timeout", false, 1, MAX_TIMEOUT_SECONDS);

        ClientInfo direct = clients.find(target).orElse(null);
        if (direct != null && direct.online() && !"lms".equals(direct.clientType())) {
            var request = commands.request(target, command).params(params).timeout(Duration.ofSeconds(timeoutSeconds))
                    .requestedBy(requestedBy);
            if (requestId != null) {
                request.requestId(requestId);
            }
            return request.send();
        }
        Sites.Client known = centre.sites.client(target).orElse(null);
        Sites.Site site = known == null || known.lmsId == null ? null : centre.sites.site(known.lmsId).orElse(null);
        if (site == null) {
            if (direct != null && !"lms".equals(direct.clientType())) {
                return CompletableFuture.failedFuture(new ApiException(503, "CLIENT_OFFLINE", "Client '" + target
                        + "' is not connected to this centre and no LMS reports holding it."));
            }
            return CompletableFuture.failedFuture(ApiException.notFound("CLIENT_NOT_FOUND", "No client '" + target
                    + "' is known here: it is not connected to the centre and no LMS reports it."));
        }
        if (!centre.connected(site)) {
            return CompletableFuture.failedFuture(new ApiException(503, "LMS_OFFLINE", "Client '" + target + "' is held by LMS '"
                    + site.name + "', which has no connection to the centre right now."));
        }
        Map<String, Object> relay = new LinkedHashMap<>();
        relay.put("target_client", target);
        relay.put("command", command);
        relay.put("params", params);
        relay.put("timeout", timeoutSeconds);
        var request = commands.request(site.lmsUuid, RELAY).params(relay)
                .timeout(Duration.ofSeconds(timeoutSeconds).plus(RELAY_MARGIN)).requestedBy(requestedBy);
        if (requestId != null) {
            request.requestId(requestId);
        }
        String siteName = site.name;
        return request.send().exceptionallyCompose(error -> CompletableFuture.failedFuture(translate(Failures.unwrap(error), target, siteName)));
    }

    /** What the centre answers for a relay that failed, by the LMS's code (or the centre's own, reaching the LMS). */
    static Throwable translate(Throwable error, String target, String siteName) {
        if (error instanceof CommandFailedException failed) {
            Object data = failed.data();
            String code = data instanceof Map<?, ?> map && map.get("code") instanceof String s ? s : null;
            String sentence = failed.getMessage();
            if (code == null) {
                return failed;
            }
            return switch (code) {
                case "CLIENT_NOT_FOUND" -> new ApiException(404, "CLIENT_NOT_FOUND", sentence);
                case "CLIENT_OFFLINE", "CLIENT_PENDING", "CLIENT_BUSY" -> new ApiException(503, code, sentence);
                case "COMMAND_TIMEOUT" -> new ApiException(504, "COMMAND_TIMEOUT", sentence);
                default -> new ApiException(502, "COMMAND_FAILED", sentence);
            };
        }
        if (error instanceof ApiException api) {
            return switch (api.code()) {
                case "COMMAND_TIMEOUT" -> new ApiException(504, "COMMAND_TIMEOUT", "LMS '" + siteName
                        + "' did not answer for client '" + target + "' in time.");
                case "CLIENT_OFFLINE", "CLIENT_NOT_FOUND" -> new ApiException(503, "LMS_OFFLINE", "LMS '" + siteName
                        + "', which holds client '" + target + "', disconnected before answering.");
                default -> api;
            };
        }
        return error;
    }
}
