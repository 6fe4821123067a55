package org.classtop.plugins.cctv.recording.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
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
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.Frame;
import org.classtop.api.agent.AgentContext;
import org.classtop.plugins.cctv.cameras.CameraFeeds;
import org.classtop.plugins.cctv.cameras.CameraFrame;
import org.classtop.plugins.cctv.recording.Recording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one camera: a RECORDER subscription hands copies of the frames (into reused buffers) to this camera's writer thread (a few
 * wait; beyond that the oldest is dropped, so a slow disk never holds up the camera's delivery), which encodes
 * them into segments of {@code segment_seconds}, each written as {@code .mp4.part}, renamed when closed, then
 * indexed.
 */
final class CameraRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(CameraRecorder.class);
    private static final int QUEUE = 8;
    private static final Duration RETRY = Duration.ofSeconds(5);

    private record Item(Frame frame, ByteBuffer data, int pixelFormat, long capturedAtMillis) {
    }

    private final String cameraId;
    private final CameraFeeds feeds;
    private final SqliteRecordingIndex index;
    private final ActiveSegments active;
    private final AgentContext agent;
    private final Instant since;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    /** Copy buffers, reused: at most the queue's frames plus the one being written and the one being copied. */
    private final BlockingQueue<ByteBuffer> buffers = new ArrayBlockingQueue<>(QUEUE + 2);
    private volatile boolean warnedIncomplete;
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
        Item item = copy(frame);
        if (item == null) {
            return;
        }
        while (!queue.offer(item)) {
            Item oldest = queue.poll();
            if (oldest != null) {
                buffers.offer(oldest.data());
                dropped.incrementAndGet();
            }
        }
    }

    /**
     * Copies the frame's pixels (all planes of a planar format) into a reused buffer: the camera's frame may not be
     * kept after onFrame. A source buffer shorter than its pixel format needs (a frame copied with
     * {@code Frame.clone()}, which copies only up to the buffer's limit: the luma plane of YUV 4:2:0) is completed
     * with neutral chroma, so it is recorded in grey rather than read past its end.
     */
    private Item copy(CameraFrame frame) {
        Frame image = frame.image();
        if (image == null || image.image == null || image.image.length == 0 || !(image.image[0] instanceof ByteBuffer source)
                || image.imageWidth <= 0 || image.imageHeight <= 0 || image.imageStride <= 0) {
            return null;
        }
        int format = frame.pixelFormat();
        ByteBuffer from = source.duplicate();
        from.clear();
        int needed = Math.max(source.limit(), image.imageStride * image.imageHeight);
        if (format >= 0) {
            needed = Math.max(needed, avutil.av_image_get_buffer_size(format, image.imageWidth, image.imageHeight, 1));
        }
        ByteBuffer data = buffers.poll();
        if (data == null || data.capacity() < needed) {
            data = ByteBuffer.allocateDirect(needed);
        }
        data.clear();
        from.limit(Math.min(from.capacity(), needed));
        data.put(from);
        if (data.position() < needed) {
            if (!warnedIncomplete) {
                warnedIncomplete = true;
                LOG.warn("[cctv-recording] frames of camera {} hold {} of the {} bytes their pixel format needs:"
                        + " the rest is recorded as grey", cameraId, data.position(), needed);
            }
            while (data.position() < needed) {
                data.put((byte) 128);
            }
        }
        data.flip();
        Frame view = new Frame();
        view.imageWidth = image.imageWidth;
        view.imageHeight = image.imageHeight;
        view.imageDepth = image.imageDepth;
        view.imageChannels = image.imageChannels;
        view.imageStride = image.imageStride;
        view.image = new java.nio.Buffer[] {data};
        return new Item(view, data, format, frame.capturedAtMillis());
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
                    buffers.offer(item.data());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finishSegment();
            queue.clear();
            buffers.clear();
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
