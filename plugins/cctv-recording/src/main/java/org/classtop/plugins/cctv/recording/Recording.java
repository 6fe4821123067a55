package org.classtop.plugins.cctv.recording;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finished segment in the index.
 *
 * @param path the file, relative to the recordings root, with {@code /} separators ({@code cam1/cam1_20261203T081500Z.mp4})
 */
public record Recording(long id, String cameraId, Instant start, Instant end, long bytes, String path) {
    /** The item of {@code cctv_get_recordings} / {@code cctv_get_recording}. */
    public Map<String, Object> toJson() {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id);
        item.put("camera_id", cameraId);
        item.put("start", start.toString());
        item.put("end", end.toString());
        item.put("bytes", bytes);
        item.put("path", path);
        return item;
    }
}
