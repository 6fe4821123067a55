package org.classtop.plugins.cctv.cameras.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.classtop.api.video.VideoFrame;
import org.classtop.plugins.cctv.cameras.CameraFeeds;
import org.classtop.plugins.cctv.cameras.CameraFeeds.ConsumerRole;
import org.classtop.plugins.cctv.cameras.CameraFrame;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CameraFeeds, as cctv-recording uses it: one grabber per camera, shared frames, a slow consumer drops its own. */
class FeedsTest {
    @TempDir
    Path dir;
    CamerasRig rig;

    @BeforeEach
    void start() throws Exception {
        // A deeper mailbox than the default 4, so the consumer that keeps up never drops even on a loaded machine.
        rig = new CamerasRig(dir.resolve("agent"), Map.of("CCTV_CAMERAS_CONSUMER_QUEUE", "16"));
        rig.ok("cctv_add_camera", Map.of("camera_id", "cam1", "source", "lavfi:testsrc=size=320x240:rate=25"));
        rig.awaitConnected("cam1");
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    /**
     * A consumer gets the whole YUV 4:2:0 picture, chroma planes included (a plain {@code Frame.clone()} of the
     * grabber's frame copies only the luma plane), so FFmpeg reading the picture never reads past the copy.
     */
    @Test
    void framesCarryEveryPlaneOfThePicture() {
        int width = 320;
        int height = 240;
        java.util.concurrent.atomic.AtomicReference<String> checked = new java.util.concurrent.atomic.AtomicReference<>();
        CameraFeeds.FeedSubscription feed = rig.feeds().subscribe("cam1", "planes", ConsumerRole.OTHER, frame -> {
            java.nio.ByteBuffer image = ((java.nio.ByteBuffer) frame.image().image[0]).duplicate();
            int luma = width * height;
            int chroma = (width / 2) * (height / 2);
            if (image.remaining() < luma + 2 * chroma) {
                checked.compareAndSet(null, "only " + image.remaining() + " bytes of " + (luma + 2 * chroma));
                return;
            }
            // testsrc has coloured bars: its chroma planes are not all neutral grey (128).
            int coloured = 0;
            for (int i = luma; i < luma + 2 * chroma; i++) {
                if (Math.abs((image.get(i) & 0xff) - 128) > 16) {
                    coloured++;
                }
            }
            checked.compareAndSet(null, coloured > chroma / 4 ? "ok" : "chroma planes look empty: " + coloured);
        });
        try {
            Poll.until("a frame checked", CamerasRig.WAIT, () -> checked.get() != null);
            assertEquals("ok", checked.get());
        } finally {
            feed.close();
        }
    }

    @Test
    void oneGrabberFeedsEveryConsumerTheSameFramesAndOneJpegPerFrame() {
        CameraFeeds feeds = rig.feeds();
        assertEquals(List.of("cam1"), feeds.cameras().stream().map(c -> c.cameraId()).toList());
        int consumers = 4;
        List<Map<Long, CameraFrame>> seen = new CopyOnWriteArrayList<>();
        List<CameraFeeds.FeedSubscription> subscriptions = new CopyOnWriteArrayList<>();
        Map<Long, VideoFrame> jpegs = new ConcurrentHashMap<>();
        List<String> sameJpeg = new CopyOnWriteArrayList<>();
        for (int i = 0; i < consumers; i++) {
            Map<Long, CameraFrame> frames = new ConcurrentHashMap<>();
            seen.add(frames);
            ConsumerRole role = i == 0 ? ConsumerRole.RECORDER : ConsumerRole.OTHER;
            subscriptions.add(feeds.subscribe("cam1", "consumer-" + i, role, frame -> {
                frames.put(frame.sequence(), frame);
                if (frame.sequence() % 5 == 0) { // every consumer asks for some frames' JPEG
                    VideoFrame jpeg = frame.jpeg();
                    VideoFrame first = jpegs.putIfAbsent(frame.sequence(), jpeg);
                    if (first != null && first != jpeg) {
                        sameJpeg.add("frame " + frame.sequence() + " was encoded twice");
                    }
                }
            }));
        }
        Poll.until("every consumer got 40 frames", CamerasRig.WAIT,
                () -> subscriptions.stream().allMatch(s -> s.delivered() >= 40));
        assertEquals(1, rig.state("cam1").path("opens").asLong(), "one grabber, opened once, for " + consumers + " consumers");
        assertTrue(rig.state("cam1").path("recording").asBoolean(), "a RECORDER consumer shows as recording");

        // Frames with the same sequence are one shared object across consumers.
        int shared = 0;
        for (Map.Entry<Long, CameraFrame> entry : seen.get(0).entrySet()) {
            for (int i = 1; i < consumers; i++) {
                CameraFrame other = seen.get(i).get(entry.getKey());
                if (other != null) {
                    assertSame(entry.getValue(), other, "frame " + entry.getKey());
                    shared++;
                }
            }
        }
        assertTrue(shared > 30, "frames seen by several consumers: " + shared);
        assertEquals(List.of(), sameJpeg);
        VideoFrame jpeg = jpegs.values().iterator().next();
        byte[] bytes = jpeg.sharedBytes();
        assertEquals(0xFF, bytes[0] & 0xFF);
        assertEquals(0xD8, bytes[1] & 0xFF);
        CameraFrame frame = seen.get(0).values().iterator().next();
        assertEquals(320, frame.width());
        assertEquals(240, frame.height());
        assertEquals("cam1", frame.cameraId());

        subscriptions.forEach(CameraFeeds.FeedSubscription::close);
        assertFalse(subscriptions.get(0).isOpen());
        // Each frame's copy is freed once the grabber and every consumer are done with it, not by the GC.
        Poll.until("every frame was released", CamerasRig.WAIT, () -> seen.stream().flatMap(m -> m.values().stream())
                .allMatch(f -> ((SharedFrame) f).isReleased()));
        CameraFrame late = seen.get(1).values().stream().filter(f -> !((SharedFrame) f).hasJpeg()).findFirst().orElseThrow();
        IllegalStateException released = assertThrows(IllegalStateException.class, late::jpeg);
        assertTrue(released.getMessage().endsWith("was released: call jpeg() inside onFrame."), released.getMessage());
        Poll.until("the consumers left the camera's view", CamerasRig.WAIT,
                () -> rig.state("cam1").path("consumers").isEmpty() && !rig.state("cam1").path("recording").asBoolean());
        assertEquals(1, rig.state("cam1").path("opens").asLong(), "the camera stays open with no consumer");
    }

    @Test
    void aSlowConsumerDropsOnlyItsOwnFrames() throws Exception {
        CameraFeeds feeds = rig.feeds();
        CountDownLatch release = new CountDownLatch(1);
        CameraFeeds.FeedSubscription slow = feeds.subscribe("cam1", "slow", ConsumerRole.OTHER, frame -> release.await(30, TimeUnit.SECONDS));
        List<Long> sequences = new CopyOnWriteArrayList<>();
        CameraFeeds.FeedSubscription fast = feeds.subscribe("cam1", "fast", ConsumerRole.PREVIEW, frame -> sequences.add(frame.sequence()));
        Poll.until("the fast consumer got 80 frames", CamerasRig.WAIT, () -> fast.delivered() >= 80);
        assertTrue(slow.dropped() >= 80 - 16 - 1, "the stuck consumer dropped all but the frame in its hands and its 16 "
                + "waiting ones: " + slow.dropped());
        assertEquals(0, slow.delivered(), "its first frame is still in its hands");
        assertEquals(0, fast.dropped(), "the other consumer lost nothing");
        for (int i = 1; i < 50; i++) {
            assertEquals(sequences.get(i - 1) + 1, sequences.get(i), "frames in order without a gap");
        }
        var consumers = rig.state("cam1").path("consumers");
        assertEquals(2, consumers.size(), consumers.toString());
        assertEquals("slow", consumers.get(0).path("name").asText());
        assertTrue(consumers.get(0).path("dropped").asLong() > 0, consumers.toString());
        release.countDown();
        slow.close();
        fast.close();
    }

    @Test
    void unknownCamerasAndRemovalEndSubscriptions() {
        CameraFeeds feeds = rig.feeds();
        NoSuchElementException unknown = assertThrows(NoSuchElementException.class,
                () -> feeds.subscribe("nope", "x", ConsumerRole.OTHER, frame -> { }));
        assertEquals("There is no camera 'nope'.", unknown.getMessage());
        assertTrue(feeds.camera("nope").isEmpty());
        List<String> removed = new CopyOnWriteArrayList<>();
        feeds.onCameraRemoved(removed::add);
        CameraFeeds.FeedSubscription feed = feeds.subscribe("cam1", "recorder", ConsumerRole.RECORDER, frame -> { });
        Poll.until("frames arrive", CamerasRig.WAIT, () -> feed.delivered() > 0);
        rig.ok("cctv_remove_camera", Map.of("camera_id", "cam1"));
        assertFalse(feed.isOpen(), "removing the camera closed its subscriptions");
        assertEquals(List.of("cam1"), removed);
        assertTrue(feeds.cameras().isEmpty());
    }
}
