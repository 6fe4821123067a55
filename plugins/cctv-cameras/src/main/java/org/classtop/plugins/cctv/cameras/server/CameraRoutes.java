package org.classtop.plugins.cctv.cameras.server;

import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.classtop.api.PluginContext;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.ApiResponse;
import org.classtop.api.server.ClientInfo;
import org.classtop.api.server.Clients;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.StreamResponse;

/**
 * The REST routes of cctv-cameras, each a small handler: check the input, send the agent command of the
 * CCTV contract, pass its answer on ({@link CctvCalls} maps the agent's failure codes).
 */
final class CameraRoutes {
    static final Set<String> ACTIONS = Set.of("start_recording", "stop_recording", "start_streaming", "stop_streaming");

    private CameraRoutes() {
    }

    /** {@code GET /api/cctv/{uuid}/state}: cctv_get_all_states. */
    static final class State implements RouteHandler {
        private final AgentCommands commands;
        private final PluginContext context;

        @Inject
        State(AgentCommands commands, PluginContext context) {
            this.commands = commands;
            this.context = context;
        }

        @Override
        public Object handle(ApiRequest request) {
            return CctvCalls.send(commands, context, request, "cctv_get_all_states", Map.of());
        }
    }

    /** {@code GET /api/cctv/{uuid}/cameras}: the detected devices (cctv_detect_cameras) and the configured cameras (cctv_get_config). */
    static final class Detect implements RouteHandler {
        private final AgentCommands commands;
        private final PluginContext context;

        @Inject
        Detect(AgentCommands commands, PluginContext context) {
            this.commands = commands;
            this.context = context;
        }

        @Override
        public Object handle(ApiRequest request) {
            var detected = CctvCalls.send(commands, context, request, "cctv_detect_cameras", Map.of()).toCompletableFuture();
            var config = CctvCalls.send(commands, context, request, "cctv_get_config", Map.of()).toCompletableFuture();
            return detected.thenCombine(config, (found, configured) -> {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("cameras", listOf(found, "cameras"));
                answer.put("configured", listOf(configured, "cameras"));
                return answer;
            });
        }
    }

    /** {@code POST /api/cctv/{uuid}/cameras}: cctv_add_camera, 201 with the camera's view. */
    static final class Add implements RouteHandler {
        private final AgentCommands commands;
        private final PluginContext context;

        @Inject
        Add(AgentCommands commands, PluginContext context) {
            this.commands = commands;
            this.context = context;
        }

        @Override
        public Object handle(ApiRequest request) {
            Map<String, Object> body = request.bodyAsMap();
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("camera_id", CctvCalls.cameraId(body.get("camera_id")));
            Object name = body.get("name");
            if (name != null) {
                if (!(name instanceof String text) || text.length() > 128 || hasControl(text)) {
                    throw new ApiException(400, "BAD_PARAMS", "The name must be text of at most 128 characters.");
                }
                params.put("name", text.strip());
            }
            Object source = body.get("source");
            if (!(source instanceof String text) || text.isBlank()) {
                throw new ApiException(400, "BAD_SOURCE", "A source is required: a device such as /dev/video0, an rtsp:// "
                        + "or http:// URL, a video file path, or lavfi:<graph> such as lavfi:testsrc=size=320x240:rate=10.");
            }
            if (text.length() > 2048 || hasControl(text)) {
                throw new ApiException(400, "BAD_SOURCE", "The source must be one line of at most 2048 characters.");
            }
            params.put("source", text.strip());
            putNumber(body, params, "width", 16, 7680, true);
            putNumber(body, params, "height", 16, 4320, true);
            putNumber(body, params, "fps", 1, 120, false);
            return CctvCalls.send(commands, request, "cctv_add_camera", params, CctvCalls.timeout(context)).thenApply(ApiResponse::created);
        }
    }

    /** {@code DELETE /api/cctv/{uuid}/cameras/{camera_id}}: cctv_remove_camera. */
    static final class Remove implements RouteHandler {
        private final AgentCommands commands;
        private final PluginContext context;

        @Inject
        Remove(AgentCommands commands, PluginContext context) {
            this.commands = commands;
            this.context = context;
        }

        @Override
        public Object handle(ApiRequest request) {
            String camera = CctvCalls.cameraId(request.pathParam("camera_id"));
            return CctvCalls.send(commands, context, request, "cctv_remove_camera", Map.of("camera_id", camera));
        }
    }

    /**
     * {@code POST /api/cctv/{uuid}/control} {@code {"camera_id","action","url"?,"segment_seconds"?}}:
     * cctv_start/stop_recording, cctv_start/stop_streaming (a streaming start needs an rtmp:// or rtsp:// url).
     */
    static final class Control implements RouteHandler {
        private final AgentCommands commands;
        private final PluginContext context;

        @Inject
        Control(AgentCommands commands, PluginContext context) {
            this.commands = commands;
            this.context = context;
        }

        @Override
        public Object handle(ApiRequest request) {
            Map<String, Object> body = request.bodyAsMap();
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("camera_id", CctvCalls.cameraId(body.get("camera_id")));
            Object action = body.get("action");
            if (!(action instanceof String name) || !ACTIONS.contains(name)) {
                throw new ApiException(400, "BAD_ACTION", "The action must be start_recording, stop_recording, "
                        + "start_streaming or stop_streaming" + (action == null ? "." : ", not '"
                        + CctvCalls.shorten(String.valueOf(action)) + "'."));
            }
            if (name.equals("start_streaming")) {
                Object url = body.get("url");
                if (!(url instanceof String text) || !text.matches("(?i)(rtmps?|rtsp)://[^\\s]{1,2040}")) {
                    throw new ApiException(400, "BAD_URL", "Streaming needs a url starting with rtmp:// or rtsp:// "
                            + "(e.g. rtmp://media.school.lan/live/room1).");
                }
                params.put("url", text);
            }
            if (name.equals("start_recording")) {
                putNumber(body, params, "segment_seconds", 2, 3600, true);
            }
            return CctvCalls.send(commands, context, request, "cctv_" + name, params);
        }
    }

    /** {@code GET /api/cctv/{uuid}/cameras/{camera_id}/snapshot}: one image/jpeg. */
    static final class Snapshot implements RouteHandler {
        private final Snapshots snapshots;

        @Inject
        Snapshot(Snapshots snapshots) {
            this.snapshots = snapshots;
        }

        @Override
        public Object handle(ApiRequest request) {
            return snapshots.take(request, CctvCalls.cameraId(request.pathParam("camera_id")));
        }
    }

    /** {@code GET /api/cctv/{uuid}/cameras/{camera_id}/live}: MJPEG while the request is open. */
    static final class Live implements RouteHandler {
        /** A few preview frames may wait for a slow browser; beyond that it skips frames (newest wins). */
        static final long VIEWER_QUEUE_BYTES = 1 << 20;
        private final LiveViews views;

        @Inject
        Live(LiveViews views) {
            this.views = views;
        }

        @Override
        public Object handle(ApiRequest request) {
            String camera = CctvCalls.cameraId(request.pathParam("camera_id"));
            String who = request.caller() == null ? null : request.caller().name();
            return views.join(request.pathParam("uuid"), camera, who)
                    .thenApply(viewer -> (Object) StreamResponse.multipart(viewer::attach).maxQueuedBytes(VIEWER_QUEUE_BYTES));
        }
    }

    /**
     * {@code GET /api/cctv/cameras} (beyond SPEC, for the Cameras page): every camera of every client, as
     * the agents last reported them in their {@code cctv_state} state section. Sends no command.
     */
    static final class AllCameras implements RouteHandler {
        private final Clients clients;

        @Inject
        AllCameras(Clients clients) {
            this.clients = clients;
        }

        @Override
        public Object handle(ApiRequest request) {
            List<Map<String, Object>> answer = new ArrayList<>();
            for (ClientInfo client : clients.list()) {
                Object section = client.state() == null ? null : client.state().get("cctv_state");
                boolean capable = client.capabilities() != null && client.capabilities().contains("cctv_get_all_states");
                if (section == null && !capable) {
                    continue;
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("client_uuid", client.uuid());
                entry.put("client_name", client.name());
                entry.put("online", client.online());
                entry.put("cameras", listOf(section, "cameras"));
                answer.add(entry);
            }
            return answer;
        }
    }

    static List<?> listOf(Object data, String key) {
        return data instanceof Map<?, ?> map && map.get(key) instanceof List<?> list ? list : List.of();
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(c -> c < 0x20 || c == 0x7F);
    }

    /** An optional positive number of the body, checked against its range (400 BAD_PARAMS with a sentence). */
    private static void putNumber(Map<String, Object> body, Map<String, Object> params, String key, int min, int max,
                                  boolean whole) {
        Object value = body.get(key);
        if (value == null) {
            return;
        }
        if (value instanceof Number number) {
            double d = number.doubleValue();
            boolean isWhole = d == Math.rint(d);
            if (d >= min && d <= max && (!whole || isWhole)) {
                params.put(key, whole || isWhole ? (Object) (long) d : (Object) d);
                return;
            }
        }
        throw new ApiException(400, "BAD_PARAMS", "The field '" + key + "' must be " + (whole ? "a whole number" : "a number")
                + " from " + min + " to " + max + ".");
    }
}
