package org.classtop.plugins.cctv.recording.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.Frame;
import org.classtop.api.agent.AgentContext;
import org.classtop.plugins.cctv.cameras.CameraFeeds;
import org.classtop.plugins.cctv.cameras.CameraFrame;
import org.classtop.plugins.cctv.recording.Recording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one camera: a RECORDER subscription hands copies of the frames to this camera's writer thread (a few
 * wait; beyond that the oldest is dropped, so a slow disk never holds up the camera's delivery), which encodes
 * them into segments of {@code segment_seconds}, each written as {@code .mp4.part}, renamed when closed, then
 * indexed.
 */
final class CameraRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(CameraRecorder.class);
    private static final int QUEUE = 8;
    private static final Duration RETRY = Duration.ofSeconds(5);

    private record Item(Frame frame, int pixelFormat, long capturedAtMillis) {
    }

    private final String cameraId;
    private final CameraFeeds feeds;
    private final SqliteRecordingIndex index;
    private final ActiveSegments active;
    private final AgentContext agent;
    private final Instant since;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile int segmentSeconds;
    private volatile boolean stopping;
    private CameraFeeds.FeedSubscription subscription;

    // writer thread only
    private SegmentWriter segment;
    private Path part;
    private Instant segmentStart;
    private long segmentStartMillis;
    private long lastCapturedMillis;
    private long lastFrameNanos;
    private long retryAtNanos;
    private long droppedBefore;

    CameraRecorder(String cameraId, int segmentSeconds, Instant since, CameraFeeds feeds, SqliteRecordingIndex index,
                   ActiveSegments active, AgentContext agent) {
        this.cameraId = cameraId;
        this.segmentSeconds = segmentSeconds;
        this.since = since;
        this.feeds = feeds;
        this.index = index;
        this.active = active;
        this.agent = agent;
        this.thread = new Thread(this::run, "cctv-recording-" + cameraId);
        this.thread.setDaemon(true);
    }

    /** @throws java.util.NoSuchElementException when the camera does not exist */
    void start() {
        active.cameraOn(cameraId);
        try {
            subscription = feeds.subscribe(cameraId, "recorder", CameraFeeds.ConsumerRole.RECORDER, this::onFrame);
        } catch (RuntimeException e) {
            active.cameraOff(cameraId);
            throw e;
        }
        thread.start();
    }

    String cameraId() {
        return cameraId;
    }

    Instant since() {
        return since;
    }

    int segmentSeconds() {
        return segmentSeconds;
    }

    /** Applies from the next segment on. */
    void segmentSeconds(int seconds) {
        segmentSeconds = seconds;
    }

    long dropped() {
        return dropped.get();
    }

    /** Ends the subscription, finishes (renames and indexes) the segment being written, and waits for it. */
    void stop() throws InterruptedException {
        stopping = true;
        if (subscription != null) {
            subscription.close();
        }
        thread.join(TimeUnit.SECONDS.toMillis(30));
        active.cameraOff(cameraId);
    }

    private void onFrame(CameraFrame frame) {
        if (stopping) {
            return;
        }
        Frame image = frame.image();
        if (image == null || image.image == null || image.imageWidth <= 0 || image.imageHeight <= 0) {
            return;
        }
        Item item = new Item(image.clone(), pixelFormat(image), frame.capturedAtMillis());
        while (!queue.offer(item)) {
            Item oldest = queue.poll();
            if (oldest != null) {
                oldest.frame().close();
                dropped.incrementAndGet();
            }
        }
    }

    /** The frame's FFmpeg pixel format when the grabber left its AVFrame on it; javacv guesses otherwise (BGR24, GRAY8). */
    private static int pixelFormat(Frame image) {
        if (image.opaque instanceof AVFrame av && !av.isNull() && av.width() == image.imageWidth
                && av.height() == image.imageHeight && av.format() >= 0) {
            return av.format();
        }
        return avutil.AV_PIX_FMT_NONE;
    }

    private void run() {
        try {
            while (!stopping || !queue.isEmpty()) {
                Item item = queue.poll(250, TimeUnit.MILLISECONDS);
                if (item == null) {
                    if (segment != null && System.nanoTime() - lastFrameNanos
                            > TimeUnit.SECONDS.toNanos(Math.max(10, segmentSeconds))) {
                        LOG.info("[cctv-recording] camera {} sent no frame for a while: segment closed", cameraId);
                        finishSegment();
                    }
                    continue;
                }
                try {
                    write(item);
                } finally {
                    item.frame().close();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finishSegment();
            Item left;
            while ((left = queue.poll()) != null) {
                left.frame().close();
            }
        }
    }

    private void write(Item item) {
        if (segment != null && (item.capturedAtMillis() - segmentStartMillis >= segmentSeconds * 1000L
                || !segment.fits(item.frame()))) {
            finishSegment();
        }
        if (segment == null) {
            if (System.nanoTime() - retryAtNanos < 0) {
                return;
            }
            try {
                openSegment(item);
            } catch (IOException | RuntimeException e) {
                failed("could not start a segment: " + e.getMessage());
                return;
            }
        }
        try {
            if (segment.write(item.frame(), (item.capturedAtMillis() - segmentStartMillis) * 1000L, item.pixelFormat())) {
                lastCapturedMillis = Math.max(lastCapturedMillis, item.capturedAtMillis());
            }
            lastFrameNanos = System.nanoTime();
        } catch (IOException e) {
            failed(e.getMessage());
            finishSegment();
        }
    }

    private void openSegment(Item item) throws IOException {
        Path dir = index.root().resolve(cameraId);
        Files.createDirectories(dir);
        Instant start = Instant.ofEpochMilli(item.capturedAtMillis());
        Path file = dir.resolve(SegmentNames.name(cameraId, start, 0) + SegmentNames.PART);
        for (int n = 1; taken(file); n++) {
            file = dir.resolve(SegmentNames.name(cameraId, start, n) + SegmentNames.PART);
        }
        double fps = feeds.camera(cameraId).map(v -> v.fps() > 0 ? v.fps() : v.measuredFps()).orElse(0.0);
        active.begin(file);
        try {
            segment = SegmentWriter.open(file, item.frame().imageWidth, item.frame().imageHeight, fps);
        } catch (IOException | RuntimeException e) {
            active.end(file);
            Files.deleteIfExists(file);
            throw e;
        }
        part = file;
        segmentStart = start;
        segmentStartMillis = item.capturedAtMillis();
        droppedBefore = dropped.get();
        lastCapturedMillis = item.capturedAtMillis();
        lastFrameNanos = System.nanoTime();
    }

    private static boolean taken(Path part) {
        String name = part.getFileName().toString();
        return Files.exists(part, LinkOption.NOFOLLOW_LINKS) || Files.exists(
                part.resolveSibling(name.substring(0, name.length() - SegmentNames.PART.length())), LinkOption.NOFOLLOW_LINKS);
    }

    /** Closes the segment being written: renamed to {@code .mp4} and indexed, repaired if closing failed, dropped if empty. */
    private void finishSegment() {
        SegmentWriter writer = segment;
        if (writer == null) {
            return;
        }
        segment = null;
        Path file = part;
        String name = file.getFileName().toString();
        Path done = file.resolveSibling(name.substring(0, name.length() - SegmentNames.PART.length()));
        active.begin(done);
        try {
            boolean closed = true;
            try {
                writer.close();
            } catch (IOException e) {
                closed = false;
                failed(e.getMessage());
            }
            if (writer.frames() == 0) {
                Files.deleteIfExists(file);
                return;
            }
            if (closed) {
                Files.move(file, done, StandardCopyOption.ATOMIC_MOVE);
            } else {
                boolean repaired = VideoFiles.repair(file, done);
                Files.deleteIfExists(file);
                if (!repaired) {
                    return;
                }
            }
            Instant end = Instant.ofEpochMilli(Math.max(lastCapturedMillis, segmentStartMillis));
            Recording row = index.add(cameraId, segmentStart, end, Files.size(done), done);
            Map<String, Object> event = new LinkedHashMap<>(row.toJson());
            event.put("frames", writer.frames());
            event.put("dropped", dropped.get() - droppedBefore); // frames the writer could not keep up with
            agent.emit("segment_finished", event);
        } catch (IOException | RuntimeException e) {
            failed("could not finish segment " + name + ": " + e.getMessage());
        } finally {
            active.end(file);
            active.end(done);
        }
    }

    private void failed(String why) {
        retryAtNanos = System.nanoTime() + RETRY.toNanos();
        String sentence = "Recording camera " + cameraId + " failed: " + why;
        LOG.warn("[cctv-recording] {}", sentence);
        agent.emit("recording_failed", Map.of("camera_id", cameraId, "error", sentence));
    }
}
