package org.classtop.plugins.cctv.storage.server;

import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.classtop.api.PluginContext;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;
import org.classtop.plugins.cctv.cameras.server.CctvCalls;

/** The REST routes of cctv-storage. */
final class StorageRoutes {
    /** A cleanup of many recordings may take a while; progress comes as cctv-storage.cleanup_progress events. */
    static final Duration CLEANUP_TIMEOUT = Duration.ofMinutes(5);
    static final java.util.List<String> KEYS = java.util.List.of("max_age_days", "max_total_bytes", "min_free_bytes");

    private StorageRoutes() {
    }

    /** {@code GET /api/cctv/{uuid}/storage}: cctv_get_storage_info. */
    static final class Info implements RouteHandler {
        private final AgentCommands commands;
        private final PluginContext context;

        @Inject
        Info(AgentCommands commands, PluginContext context) {
            this.commands = commands;
            this.context = context;
        }

        @Override
        public Object handle(ApiRequest request) {
            return CctvCalls.send(commands, context, request, "cctv_get_storage_info", Map.of());
        }
    }

    /**
     * {@code POST /api/cctv/{uuid}/storage/cleanup} {@code {"max_age_days"?,"max_total_bytes"?,"min_free_bytes"?}}
     * (no body or none given: the client's configured retention): cctv_cleanup_storage.
     */
    static final class Cleanup implements RouteHandler {
        private final AgentCommands commands;
        private final PluginContext context;

        @Inject
        Cleanup(AgentCommands commands, PluginContext context) {
            this.commands = commands;
            this.context = context;
        }

        @Override
        public Object handle(ApiRequest request) {
            Map<String, Object> body = request.hasBody() ? request.bodyAsMap() : Map.of();
            Map<String, Object> params = new LinkedHashMap<>();
            for (String key : body.keySet()) {
                if (!KEYS.contains(key)) {
                    throw new ApiException(400, "BAD_PARAMS", "Unknown field '" + CctvCalls.shorten(key)
                            + "': a cleanup takes max_age_days, max_total_bytes and min_free_bytes.");
                }
            }
            for (String key : KEYS) {
                Object value = body.get(key);
                if (value == null) {
                    continue;
                }
                if (!(value instanceof Number number) || number.doubleValue() < 0 || number.doubleValue() != Math.rint(number.doubleValue())
                        || number.doubleValue() > 9.0e18) {
                    throw new ApiException(400, "BAD_PARAMS", "The field '" + key + "' must be a whole number of at least 0.");
                }
                params.put(key, number.longValue());
            }
            return CctvCalls.send(commands, request, "cctv_cleanup_storage", params, CLEANUP_TIMEOUT);
        }
    }
}
