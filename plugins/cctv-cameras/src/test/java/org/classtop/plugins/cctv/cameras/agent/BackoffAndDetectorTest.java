package org.classtop.plugins.cctv.cameras.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backoff's bounds and V4L2 detection on a made-up /dev and sysfs. */
class BackoffAndDetectorTest {
    @TempDir
    Path dir;

    @Test
    void backoffDoublesFromTheMinimumUpToTheMaximumWithinHalfToWhole() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        long[][] expected = {{50, 100}, {100, 200}, {200, 400}, {400, 800}, {500, 1000}, {500, 1000}};
        for (int attempt = 1; attempt <= expected.length; attempt++) {
            assertEquals(expected[attempt - 1][0], backoff.floorMillis(attempt), "floor of attempt " + attempt);
            assertEquals(expected[attempt - 1][1], backoff.ceilingMillis(attempt), "ceiling of attempt " + attempt);
        }
        assertEquals(1000, backoff.ceilingMillis(10_000), "no overflow after many attempts");
        assertEquals(75, backoff.delayMillis(1, bound -> bound / 2), "jitter inside the range");
    }

    @Test
    void v4l2DetectionListsReadableCaptureNodesOnly() throws Exception {
        Path dev = Files.createDirectories(dir.resolve("dev"));
        Path sys = Files.createDirectories(dir.resolve("sys"));
        for (String node : List.of("video0", "video1", "video10", "video2x", "media0")) {
            Files.writeString(dev.resolve(node), "");
        }
        Files.createDirectories(sys.resolve("video0"));
        Files.writeString(sys.resolve("video0/name"), "Integrated Camera: Integrated C\n");
        Files.writeString(sys.resolve("video0/index"), "0\n");
        Files.createDirectories(sys.resolve("video1"));
        Files.writeString(sys.resolve("video1/name"), "Integrated Camera: Integrated C\n");
        Files.writeString(sys.resolve("video1/index"), "1\n"); // the UVC metadata node
        List<Map<String, Object>> found = new Detector(dev, sys, "Linux").detect();
        assertEquals(List.of(
                Map.of("source", dev.resolve("video0").toString(), "name", "Integrated Camera: Integrated C", "kind", "v4l2"),
                Map.of("source", dev.resolve("video10").toString(), "name", "video10", "kind", "v4l2")), found);
        assertEquals(List.of(), new Detector(dir.resolve("none"), sys, "Linux").detect(), "no camera: an empty list");
    }
}
