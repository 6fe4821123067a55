package org.classtop.plugins.videosources;

import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.ApiResponse;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.StreamResponse;
import org.classtop.api.video.VideoFrame;

/** The REST routes of the plugin, each a small handler over {@link VideoService}. */
final class Routes {
    private Routes() {
    }

    /** {@code /internal/video/...} addresses the first source, {@code /api/video/{id}/...} the named one. */
    static Source sourceOf(VideoService video, ApiRequest request) {
        return request.path().startsWith("/internal/") ? video.first() : video.require(request.pathParam("id"));
    }

    /** {@code GET /api/video/sources}. */
    static final class ListSources implements RouteHandler {
        private final VideoService video;

        @Inject
        ListSources(VideoService video) {
            this.video = video;
        }

        @Override
        public Object handle(ApiRequest request) {
            return video.all().stream().map(SourceView::of).toList();
        }
    }

    /** {@code POST /api/video/sources}: 201; 400 a bad field, 409 id taken. */
    static final class AddSource implements RouteHandler {
        private final VideoService video;

        @Inject
        AddSource(VideoService video) {
            this.video = video;
        }

        @Override
        public Object handle(ApiRequest request) {
            Map<String, Object> body = request.bodyAsMap();
            if (body == null) {
                throw ApiException.badRequest("The body must be a JSON object: {\"id\",\"url\",\"format\"?}.");
            }
            SourceSpec spec = SourceSpec.parse(body.get("id"), body.get("url"), body.get("format"));
            return ApiResponse.created(SourceView.of(video.add(spec)));
        }
    }

    /** {@code DELETE /api/video/sources/{id}}: stops the source for good. */
    static final class DeleteSource implements RouteHandler {
        private final VideoService video;

        @Inject
        DeleteSource(VideoService video) {
            this.video = video;
        }

        @Override
        public Object handle(ApiRequest request) {
            Source source = video.delete(request.pathParam("id"));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", source.id());
            answer.put("deleted", true);
            return answer;
        }
    }

    /** {@code GET /api/video/{id}/latest-frame} (and the seed's /internal path): the newest JPEG, from memory. */
    static final class LatestFrame implements RouteHandler {
        private final VideoService video;

        @Inject
        LatestFrame(VideoService video) {
            this.video = video;
        }

        @Override
        public Object handle(ApiRequest request) {
            Source source = sourceOf(video, request);
            VideoFrame frame = source.latest();
            if (frame == null) {
                String why = source.status().lastError();
                throw ApiException.unavailable("NO_FRAME_YET", "The video source '" + source.id() + "' has no frame yet"
                        + (why == null ? ": it is connecting." : ": " + why));
            }
            return ApiResponse.bytes("image/jpeg", frame.sharedBytes()).withHeaders(Map.of(
                    "Cache-Control", "no-store",
                    "X-Frame-Sequence", Long.toString(frame.sequence()),
                    "X-Frame-Received-At", Long.toString(frame.receivedAtMillis())));
        }
    }

    /** {@code GET /api/video/{id}/status} (and /internal/video/status). */
    static final class Status implements RouteHandler {
        private final VideoService video;

        @Inject
        Status(VideoService video) {
            this.video = video;
        }

        @Override
        public Object handle(ApiRequest request) {
            return SourceView.of(sourceOf(video, request));
        }
    }

    /** {@code POST /api/video/{id}/subscribe} (and /internal/video/subscribe): where to read the stream. */
    static final class Subscribe implements RouteHandler {
        private final VideoService video;

        @Inject
        Subscribe(VideoService video) {
            this.video = video;
        }

        @Override
        public Object handle(ApiRequest request) {
            Source source = sourceOf(video, request);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("source_id", source.id());
            answer.put("mjpeg_url", "/api/video/" + source.id() + "/mjpeg");
            answer.put("websocket_url", "/api/video/" + source.id() + "/ws");
            answer.put("latest_frame_url", "/api/video/" + source.id() + "/latest-frame");
            answer.put("websocket_window", video.settings().socketWindow);
            answer.put("notes", List.of(
                    "URLs are relative to this server; authenticate as for any API call.",
                    "The WebSocket sends binary JPEG frames; send a text message after each frame you have shown."));
            return answer;
        }
    }

    /** {@code GET /api/video/{id}/mjpeg}: multipart/x-mixed-replace, newest frame wins for a slow viewer. */
    static final class Mjpeg implements RouteHandler {
        static final int VIEWER_SLACK_FRAMES = 4;
        static final long MIN_VIEWER_SLACK_BYTES = 512 * 1024;
        private final VideoService video;

        @Inject
        Mjpeg(VideoService video) {
            this.video = video;
        }

        @Override
        public Object handle(ApiRequest request) {
            Source source = sourceOf(video, request);
            String name = request.caller().name() + "@" + request.remoteAddress();
            video.checkRoom(source); // 503 now, while a status can still be sent
            VideoFrame newest = source.latest();
            // A few frames of slack: a viewer that keeps up rides out a burst from the camera without a drop;
            // one that falls further behind skips the oldest waiting frames.
            long slack = Math.max(MIN_VIEWER_SLACK_BYTES, VIEWER_SLACK_FRAMES * (newest == null ? 0L : newest.size()));
            return StreamResponse.multipart(sink -> {
                StreamSubscriber viewer;
                try {
                    viewer = video.attach(source, new StreamSubscriber(source, name, sink));
                } catch (ApiException full) {
                    sink.close();
                    return;
                }
                sink.onClose(viewer::close);
                VideoFrame first = source.latest(); // show something at once, not at the next frame
                if (first != null) {
                    viewer.offer(first);
                }
            }).maxQueuedBytes(slack);
        }
    }
}
