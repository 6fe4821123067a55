package org.classtop.plugins.videosources;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.classtop.api.video.VideoSourceStatus;

/** The JSON of a source and its status (snake_case, times as ISO-8601, null when never). */
final class SourceView {
    private SourceView() {
    }

    static Map<String, Object> of(Source source) {
        VideoSourceStatus status = source.status();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", status.id());
        view.put("url", status.url());
        view.put("format", status.format());
        view.put("kind", source.spec().isTcp() ? "tcp" : "ffmpeg");
        view.put("connected", status.connected());
        view.put("has_frame", source.latest() != null);
        view.put("fps", status.fps());
        view.put("frames", status.frames());
        view.put("bytes_per_second", status.bytesPerSecond());
        view.put("subscribers", status.subscribers().size());
        view.put("dropped", status.subscribers().stream().mapToLong(VideoSourceStatus.Subscriber::dropped).sum());
        view.put("reconnects", source.reconnects());
        view.put("last_frame_at", time(status.lastFrameAt()));
        view.put("last_error", status.lastError());
        view.put("last_error_at", time(status.lastErrorAt()));
        view.put("created_at", time(source.createdAt()));
        List<Map<String, Object>> subscribers = status.subscribers().stream().map(SourceView::subscriber).toList();
        view.put("subscriber_list", subscribers);
        view.put("latest_frame_url", "/api/video/" + status.id() + "/latest-frame");
        view.put("mjpeg_url", "/api/video/" + status.id() + "/mjpeg");
        view.put("websocket_url", "/api/video/" + status.id() + "/ws");
        return view;
    }

    private static Map<String, Object> subscriber(VideoSourceStatus.Subscriber s) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", s.id());
        view.put("kind", s.kind());
        view.put("name", s.name());
        view.put("since", time(s.sinceMillis()));
        view.put("delivered", s.delivered());
        view.put("dropped", s.dropped());
        return view;
    }

    private static String time(long epochMillis) {
        return epochMillis <= 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
