package org.classtop.plugins.cctv.recording.server;

import static org.classtop.api.server.HttpMethod.DELETE;
import static org.classtop.api.server.HttpMethod.GET;

import org.classtop.api.server.ServerPlugin;
import org.pf4j.Extension;

/**
 * Server side of cctv-recording: the recordings routes of SPEC §3 (list, file relayed from the agent with
 * Range, delete) and the Recordings panel on a client's page. Recording itself is started and stopped
 * through {@code POST /api/cctv/{uuid}/control} (cctv-cameras).
 */
@Extension
public final class CctvRecordingServerPlugin extends ServerPlugin {
    private static final String ERRORS = " 404 CLIENT_NOT_FOUND, 503 CLIENT_OFFLINE, 504 COMMAND_TIMEOUT.";

    @Override
    protected void configure() {
        description("zh-CN", "教室摄像头的分段 MP4 录像、录像索引，以及在浏览器中回放和下载。");
        lifecycle(RecordingRelay.class);
        agentStreams("file.*").to(RecordingRelay.class);

        route(GET, "/api/cctv/{uuid}/recordings")
                .summary("Recordings of a client")
                .description("Newest first. camera_id (1 to 64 letters, digits, '_' or '-'), from and to (ISO-8601, e.g. "
                        + "2026-12-03T08:00:00Z; a recording that overlaps the range is listed), limit (1 to 5000, default "
                        + "500). 400 BAD_CAMERA_ID, BAD_TIME." + ERRORS)
                .responseExample("{\"recordings\":[{\"id\":42,\"camera_id\":\"cam1\",\"start\":\"2026-12-03T08:15:00Z\","
                        + "\"end\":\"2026-12-03T08:16:00Z\",\"bytes\":5242880}],\"count\":1}")
                .to(RecordingRoutes.ListRecordings.class);
        route(GET, "/api/cctv/{uuid}/recordings/{id}/file")
                .summary("A recording's MP4, relayed from the client")
                .description("video/mp4 with Range (206; 416 past the end), If-Range, ETag and HEAD, so a <video> element "
                        + "can seek; ?download=true adds Content-Disposition: attachment. The bytes come from the agent in "
                        + "windows over its connection; if the client drops, the answer is cut off before its length (never "
                        + "a short answer that looks complete). 400 BAD_RECORDING_ID (a positive whole number), 404 "
                        + "RECORDING_NOT_FOUND, 503 TOO_MANY_DOWNLOADS." + ERRORS)
                .produces("video/mp4")
                .to(RecordingRoutes.File.class);
        route(DELETE, "/api/cctv/{uuid}/recordings/{id}")
                .summary("Delete a recording")
                .description("Removes the file and its index row on the client. 400 BAD_RECORDING_ID, 404 RECORDING_NOT_FOUND."
                        + ERRORS)
                .responseExample("{\"id\":42,\"deleted\":true,\"bytes\":5242880}")
                .to(RecordingRoutes.Delete.class);

        uiPanel("recordings")
                .script("static/cctv-recording/panel.js")
                .element("cctv-recordings-panel")
                .slot("client-detail")
                .title("Recordings")
                .title("zh-CN", "录像")
                .whenClientHas("cctv_get_recordings")
                .register();
    }
}
