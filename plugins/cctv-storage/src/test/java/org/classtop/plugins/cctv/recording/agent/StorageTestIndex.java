package org.classtop.plugins.cctv.recording.agent;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.classtop.api.PluginContext;
import org.classtop.plugins.cctv.recording.Recording;
import org.classtop.plugins.cctv.recording.RecordingIndex;

/** TEST ONLY (cctv-storage's tests): cctv-recording's real index on a folder, and segments written as its recorder writes them. */
public final class StorageTestIndex {
    private final ActiveSegments active = new ActiveSegments();
    private final SqliteRecordingIndex index;

    public StorageTestIndex(Path dataDir) {
        PluginContext context = new PluginContext() {
            @Override
            public String pluginId() {
                return "cctv-recording";
            }

            @Override
            public String version() {
                return "0.1.0";
            }

            @Override
            public Path dataDir() {
                return dataDir;
            }

            @Override
            public Optional<String> config(String name) {
                return Optional.empty();
            }
        };
        index = new SqliteRecordingIndex(new RecordingSettings(context), active);
    }

    public RecordingIndex index() {
        return index;
    }

    public void writing(Path file) {
        active.begin(file);
    }

    /** {@code <root>/<camera>/<camera>_<start>.mp4}, {@code frames} frames of a 10 fps test pattern. */
    public Path segment(String cameraId, Instant start, int frames) throws Exception {
        Path dir = java.nio.file.Files.createDirectories(index.root().resolve(cameraId));
        Path file = dir.resolve(SegmentNames.name(cameraId, start, 0));
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber("testsrc=size=320x240:rate=10")) {
            grabber.setFormat("lavfi");
            grabber.start();
            SegmentWriter writer = SegmentWriter.open(file, 320, 240, 10);
            for (int i = 0; i < frames; i++) {
                writer.write(grabber.grabImage(), i * 100_000L, avutil.AV_PIX_FMT_NONE);
            }
            writer.close();
        }
        return file;
    }

    /** A segment as a recorder finishes it: written, then indexed through the recorder's path (listeners told). */
    public Recording finished(String cameraId, Instant start, int frames) throws Exception {
        Path file = segment(cameraId, start, frames);
        return index.add(cameraId, start, start.plusMillis(frames * 100L), java.nio.file.Files.size(file), file);
    }

    public void close() {
        index.close();
    }
}
