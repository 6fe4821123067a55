package org.classtop.plugins.cctv.cameras.server;

import static org.classtop.api.server.HttpMethod.DELETE;
import static org.classtop.api.server.HttpMethod.GET;
import static org.classtop.api.server.HttpMethod.POST;

import org.classtop.api.server.ServerPlugin;
import org.pf4j.Extension;

/**
 * Server side of cctv-cameras: the camera routes of SPEC §3 (state, detect, add, remove, control,
 * snapshot, MJPEG live view), the Cameras panel on a client's page and the site-wide Cameras page.
 */
@Extension
public final class CctvCamerasServerPlugin extends ServerPlugin {
    static final String VIEW_EXAMPLE = "{\"camera_id\":\"cam1\",\"name\":\"Front\",\"source\":\"lavfi:testsrc=size=320x240:rate=10\","
            + "\"width\":320,\"height\":240,\"fps\":10,\"connected\":true,\"measured_fps\":9.9,\"recording\":true,"
            + "\"streaming\":false,\"streaming_url\":null,\"last_error\":null,\"last_error_at\":null,"
            + "\"consumers\":[{\"name\":\"recorder\",\"role\":\"RECORDER\",\"delivered\":1200,\"dropped\":0}]}";
    private static final String ERRORS = " 404 CLIENT_NOT_FOUND (unknown client), 503 CLIENT_OFFLINE, 504 COMMAND_TIMEOUT;"
            + " the agent's failures keep their meaning: 404 CAMERA_NOT_FOUND, 400 BAD_PARAMS/BAD_SOURCE, 409 CAMERA_EXISTS.";

    @Override
    protected void configure() {
        description("zh-CN", "教室电脑上的摄像头：检测、添加、删除，实时画面、快照，推流到 RTMP/RTSP；每个摄像头只打开一次。");
        lifecycle(LiveViews.class);
        agentStreams("preview.*").to(LiveViews.class);
        agentStreams("snapshot.*").to(Snapshots.class);

        route(GET, "/api/cctv/{uuid}/state")
                .summary("State of every camera of a client")
                .description("Runs cctv_get_all_states on the agent." + ERRORS)
                .responseExample("{\"cameras\":[" + VIEW_EXAMPLE + "]}")
                .to(CameraRoutes.State.class);
        route(GET, "/api/cctv/{uuid}/cameras")
                .summary("Detect a client's cameras")
                .description("cameras: the devices the agent finds (V4L2 on Linux, FFmpeg's device list on Windows and "
                        + "macOS; none is an empty list); configured: the cameras added to it (cctv_get_config)." + ERRORS)
                .responseExample("{\"cameras\":[{\"source\":\"/dev/video0\",\"name\":\"HD Webcam\",\"kind\":\"v4l2\"}],"
                        + "\"configured\":[{\"camera_id\":\"cam1\",\"name\":\"Front\",\"source\":\"/dev/video0\",\"width\":1280,"
                        + "\"height\":720,\"fps\":25}]}")
                .to(CameraRoutes.Detect.class);
        route(POST, "/api/cctv/{uuid}/cameras")
                .summary("Add a camera to a client")
                .description("camera_id: 1 to 64 letters, digits, '_' or '-'; source: a device (/dev/video0, video=Name), an "
                        + "rtsp:// or http:// URL, a video file path or lavfi:<graph>; width, height, fps optional. 201 with "
                        + "the camera's state. 400 BAD_CAMERA_ID, BAD_SOURCE, BAD_PARAMS before the agent is asked." + ERRORS)
                .requestExample("{\"camera_id\":\"cam1\",\"name\":\"Front\",\"source\":\"lavfi:testsrc=size=320x240:rate=10\","
                        + "\"width\":320,\"height\":240,\"fps\":10}")
                .responseExample(VIEW_EXAMPLE)
                .to(CameraRoutes.Add.class);
        route(DELETE, "/api/cctv/{uuid}/cameras/{camera_id}")
                .summary("Remove a camera from a client")
                .description("Stops its recording, streaming and previews and forgets it (recordings stay)." + ERRORS)
                .responseExample("{\"camera_id\":\"cam1\",\"removed\":true}")
                .to(CameraRoutes.Remove.class);
        route(POST, "/api/cctv/{uuid}/control")
                .summary("Start or stop recording or streaming a camera")
                .description("action: start_recording (segment_seconds optional, 2 to 3600), stop_recording, start_streaming "
                        + "(url: rtmp:// or rtsp://), stop_streaming. 400 BAD_ACTION, BAD_URL, BAD_CAMERA_ID; 409 "
                        + "NOT_RECORDING." + ERRORS)
                .requestExample("{\"camera_id\":\"cam1\",\"action\":\"start_streaming\",\"url\":\"rtmp://media.school.lan/live/room1\"}")
                .responseExample("{\"camera_id\":\"cam1\",\"recording\":true,\"segment_seconds\":60,\"since\":\"2026-12-03T08:15:00Z\"}")
                .to(CameraRoutes.Control.class);
        route(GET, "/api/cctv/{uuid}/cameras/{camera_id}/snapshot")
                .summary("One JPEG of a camera's newest frame")
                .description("Sent by the agent over its connection's binary lane. 404 CAMERA_NOT_FOUND, 503 NO_FRAME_YET, "
                        + "504 SNAPSHOT_TIMEOUT (no image within 10 s).")
                .produces("image/jpeg")
                .to(CameraRoutes.Snapshot.class);
        route(GET, "/api/cctv/{uuid}/cameras/{camera_id}/live")
                .summary("Live view of a camera (MJPEG)")
                .description("multipart/x-mixed-replace (works in an <img>) while the request is open. The agent sends low-rate "
                        + "preview frames (cctv-cameras.PREVIEW_FPS, 2 by default) only while someone watches, one upstream per "
                        + "camera however many viewers; a slow browser skips frames. 503 TOO_MANY_VIEWERS." + ERRORS)
                .produces("multipart/x-mixed-replace")
                .to(CameraRoutes.Live.class);
        route(GET, "/api/cctv/cameras")
                .summary("Every camera of every client")
                .description("From the agents' last reported state (state section cctv_state): sends no command, so offline "
                        + "clients are listed with what they last reported.")
                .responseExample("[{\"client_uuid\":\"pc-101\",\"client_name\":\"Room 101\",\"online\":true,\"cameras\":["
                        + VIEW_EXAMPLE + "]}]")
                .to(CameraRoutes.AllCameras.class);

        uiPanel("cameras")
                .script("static/cctv-cameras/panel.js")
                .element("cctv-cameras-panel")
                .slot("client-detail")
                .title("Cameras")
                .title("zh-CN", "摄像头")
                .whenClientHas("cctv_get_all_states")
                .register();
        uiPanel("cameras-page")
                .script("static/cctv-cameras/page.js")
                .element("cctv-cameras-page")
                .slot("page")
                .title("Cameras")
                .title("zh-CN", "摄像头")
                .register();
    }
}
