package org.classtop.plugins.cctv.recording.server;

import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.classtop.api.PluginContext;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;
import org.classtop.plugins.cctv.cameras.server.CctvCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The REST routes of cctv-recording: list, relay a file, delete. */
final class RecordingRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingRoutes.class);

    private RecordingRoutes() {
    }

    /** {@code GET /api/cctv/{uuid}/recordings?camera_id=&from=&to=&limit=}: cctv_get_recordings, newest first. */
    static final class ListRecordings implements RouteHandler {
        private final AgentCommands commands;
        private final PluginContext context;

        @Inject
        ListRecordings(AgentCommands commands, PluginContext context) {
            this.commands = commands;
            this.context = context;
        }

        @Override
        public Object handle(ApiRequest request) {
            Map<String, Object> params = new LinkedHashMap<>();
            request.queryText("camera_id").ifPresent(camera -> params.put("camera_id", CctvCalls.cameraId(camera)));
            String from = CctvCalls.instant(request, "from");
            String to = CctvCalls.instant(request, "to");
            if (from != null && to != null && java.time.Instant.parse(from).isAfter(java.time.Instant.parse(to))) {
                throw new ApiException(400, "BAD_TIME", "The time range is empty: 'from' (" + from + ") is after 'to' (" + to + ").");
            }
            if (from != null) {
                params.put("from", from);
            }
            if (to != null) {
                params.put("to", to);
            }
            params.put("limit", request.queryInt("limit", 500, 1, 5000));
            return CctvCalls.send(commands, context, request, "cctv_get_recordings", params).thenApply(data -> {
                List<Map<String, Object>> items = new ArrayList<>();
                int dropped = 0;
                Object list = data instanceof Map<?, ?> map ? map.get("recordings") : null;
                if (list instanceof List<?> rows) {
                    for (Object row : rows) {
                        Long id = row instanceof Map<?, ?> r ? rowId(r.get("id")) : null;
                        if (id == null || !(((Map<?, ?>) row).get("camera_id") instanceof String camera)
                                || !CctvCalls.CAMERA_ID.matcher(camera).matches()) {
                            dropped++; // the browser puts id and camera_id into URLs: only well-formed rows go on
                            continue;
                        }
                        Map<?, ?> r = (Map<?, ?>) row; // the agent's path stays on the agent
                        Map<String, Object> item = new LinkedHashMap<>();
                        item.put("id", id);
                        item.put("camera_id", camera);
                        for (String key : List.of("start", "end", "bytes")) {
                            item.put(key, r.get(key));
                        }
                        items.add(item);
                    }
                }
                if (dropped > 0) {
                    LOG.warn("cctv-recording: dropped {} recording row(s) of client {} whose id or camera_id is not valid",
                            dropped, request.pathParam("uuid"));
                }
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("recordings", items);
                answer.put("count", items.size());
                return answer;
            });
        }

        /** A row id from the agent: a positive whole number (a JSON number or digits), else null. */
        static Long rowId(Object value) {
            if (value instanceof Long || value instanceof Integer || value instanceof Short) {
                long id = ((Number) value).longValue();
                return id > 0 ? id : null;
            }
            if (value instanceof Number n) {
                double d = n.doubleValue();
                return d >= 1 && d <= 1e17 && d == Math.rint(d) ? (long) d : null;
            }
            if (value instanceof String text) {
                try {
                    return CctvCalls.recordingId(text);
                } catch (ApiException e) {
                    return null;
                }
            }
            return null;
        }
    }

    /** {@code GET /api/cctv/{uuid}/recordings/{id}/file[?download=true]}: the MP4, relayed with Range. */
    static final class File implements RouteHandler {
        private final RecordingRelay relay;

        @Inject
        File(RecordingRelay relay) {
            this.relay = relay;
        }

        @Override
        public Object handle(ApiRequest request) {
            long id = CctvCalls.recordingId(request.pathParam("id"));
            return relay.open(request, id, request.queryFlag("download"));
        }
    }

    /** {@code DELETE /api/cctv/{uuid}/recordings/{id}}: cctv_delete_recording. */
    static final class Delete implements RouteHandler {
        private final AgentCommands commands;
        private final PluginContext context;

        @Inject
        Delete(AgentCommands commands, PluginContext context) {
            this.commands = commands;
            this.context = context;
        }

        @Override
        public Object handle(ApiRequest request) {
            long id = CctvCalls.recordingId(request.pathParam("id"));
            return CctvCalls.send(commands, context, request, "cctv_delete_recording", Map.of("id", id));
        }
    }
}
