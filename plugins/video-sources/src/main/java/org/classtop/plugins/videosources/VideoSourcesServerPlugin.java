package org.classtop.plugins.videosources;

import static org.classtop.api.server.HttpMethod.DELETE;
import static org.classtop.api.server.HttpMethod.GET;
import static org.classtop.api.server.HttpMethod.POST;

import org.classtop.api.server.Role;
import org.classtop.api.server.ServerPlugin;
import org.classtop.api.video.VideoSources;
import org.pf4j.Extension;

/**
 * Video sources (server side only): holds each camera with exactly one upstream connection and fans its
 * frames out as the latest frame, MJPEG, a browser WebSocket and the in-process {@link VideoSources}
 * service; shows the "Video" page.
 */
@Extension
public final class VideoSourcesServerPlugin extends ServerPlugin {
    private static final String STATUS_EXAMPLE = "{\"id\":\"hall\",\"url\":\"tcp://192.168.2.50:8888\","
            + "\"format\":\"jpeg-length-prefixed\",\"kind\":\"tcp\",\"connected\":true,\"has_frame\":true,\"fps\":25.0,"
            + "\"frames\":90210,\"bytes_per_second\":1650000,\"subscribers\":2,\"dropped\":3,\"reconnects\":1,"
            + "\"last_frame_at\":\"2026-12-03T08:00:05.040Z\",\"last_error\":\"The camera closed the connection.\","
            + "\"last_error_at\":\"2026-12-03T07:10:00Z\",\"created_at\":\"2026-12-01T09:00:00Z\",\"subscriber_list\":"
            + "[{\"id\":7,\"kind\":\"mjpeg\",\"name\":\"admin@127.0.0.1\",\"since\":\"2026-12-03T07:59:00Z\","
            + "\"delivered\":1500,\"dropped\":3}],\"latest_frame_url\":\"/api/video/hall/latest-frame\","
            + "\"mjpeg_url\":\"/api/video/hall/mjpeg\",\"websocket_url\":\"/api/video/hall/ws\"}";
    private static final String SUBSCRIBE_EXAMPLE = "{\"source_id\":\"hall\",\"mjpeg_url\":\"/api/video/hall/mjpeg\","
            + "\"websocket_url\":\"/api/video/hall/ws\",\"latest_frame_url\":\"/api/video/hall/latest-frame\","
            + "\"websocket_window\":2}";

    @Override
    protected void configure() {
        install(new VideoSourcesModule());
        lifecycle(VideoService.class);
        export(VideoSources.class).to(VideoService.class);

        route(GET, "/api/video/sources")
                .summary("Video sources and their status")
                .description("Every source, in the order added, with its status: connected, fps, frames, bytes per "
                        + "second, subscribers and their drops, the last error and when.")
                .responseExample("[" + STATUS_EXAMPLE + "]")
                .to(Routes.ListSources.class);
        route(POST, "/api/video/sources")
                .summary("Add a video source")
                .description("id: 1 to 64 letters, digits, '.', '_' or '-'. url: tcp://host:port (format "
                        + "jpeg-length-prefixed, the default, or mjpeg), any FFmpeg URL (rtsp, http, ...) or absolute "
                        + "file path (format: an optional FFmpeg input format), or lavfi:<graph>. Accepted while the "
                        + "camera is down: the server connects when it can and keeps the source across restarts. "
                        + "400 for a bad field, 409 SOURCE_EXISTS, 409 TOO_MANY_SOURCES.")
                .requestExample("{\"id\":\"hall\",\"url\":\"tcp://192.168.2.50:8888\",\"format\":\"jpeg-length-prefixed\"}")
                .responseExample(STATUS_EXAMPLE)
                .to(Routes.AddSource.class);
        route(DELETE, "/api/video/sources/{id}")
                .summary("Delete a video source")
                .description("Closes its connection for good and ends every subscriber. 404 SOURCE_NOT_FOUND.")
                .responseExample("{\"id\":\"hall\",\"deleted\":true}")
                .to(Routes.DeleteSource.class);
        route(GET, "/api/video/{id}/latest-frame")
                .summary("The newest frame (image/jpeg)")
                .description("From memory, never from the camera. X-Frame-Sequence and X-Frame-Received-At (epoch ms) "
                        + "headers. 404 SOURCE_NOT_FOUND, 503 NO_FRAME_YET until the first frame.")
                .produces("image/jpeg")
                .to(Routes.LatestFrame.class);
        route(GET, "/api/video/{id}/status")
                .summary("Status of a video source")
                .responseExample(STATUS_EXAMPLE)
                .to(Routes.Status.class);
        route(POST, "/api/video/{id}/subscribe")
                .summary("Where to read a video source")
                .description("The MJPEG URL (multipart/x-mixed-replace, works in an <img> tag), the WebSocket URL "
                        + "(binary JPEG frames; send a text message after each frame) and the latest-frame URL.")
                .requires(Role.VIEWER)
                .responseExample(SUBSCRIBE_EXAMPLE)
                .to(Routes.Subscribe.class);
        route(GET, "/api/video/{id}/mjpeg")
                .summary("Live MJPEG stream")
                .description("multipart/x-mixed-replace, one JPEG per part; a slow viewer skips frames (newest wins) "
                        + "and never slows the camera. 503 TOO_MANY_SUBSCRIBERS.")
                .produces("multipart/x-mixed-replace")
                .to(Routes.Mjpeg.class);
        webSocket("/api/video/{id}/ws")
                .summary("Live binary JPEG frames; send a text message after each frame you have shown")
                .requires(Role.VIEWER)
                .maxConnections(512)
                .maxQueuedBytes(16L << 20)
                .to(LiveSocket.class);

        // The seed's paths (source note 004): the first source added.
        route(GET, "/internal/video/latest-frame").summary("The first source's newest frame (seed path)")
                .produces("image/jpeg").to(Routes.LatestFrame.class);
        route(GET, "/internal/video/status").summary("The first source's status (seed path)")
                .responseExample(STATUS_EXAMPLE).to(Routes.Status.class);
        route(POST, "/internal/video/subscribe").summary("Where to read the first source (seed path)")
                .requires(Role.VIEWER).responseExample(SUBSCRIBE_EXAMPLE).to(Routes.Subscribe.class);

        uiPanel("video-sources")
                .script("static/video-sources/panel.js")
                .element("classtop-video-sources")
                .slot("page")
                .title("Video")
                .title("zh-CN", "视频")
                .register();
    }
}
