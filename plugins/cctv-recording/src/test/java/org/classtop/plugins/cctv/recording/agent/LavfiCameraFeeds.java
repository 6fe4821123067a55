package org.classtop.plugins.cctv.recording.agent;

import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.classtop.api.Registration;
import org.classtop.api.video.VideoFrame;
import org.classtop.plugins.cctv.cameras.CameraFeeds;
import org.classtop.plugins.cctv.cameras.CameraFrame;
import org.classtop.plugins.cctv.cameras.CameraView;

/**
 * TEST ONLY: a CameraFeeds of synthetic cameras ({@code lavfi:testsrc=size=320x240:rate=10}), one FFmpeg grabber per
 * camera while someone subscribes, paced to real time. Simpler than the real one: frames go to the subscribers on
 * the grabbing thread, one subscriber after the other (the recorder only copies and queues them there).
 */
public final class LavfiCameraFeeds implements CameraFeeds {
    public static final String GRAPH = "testsrc=size=320x240:rate=10";

    private final Map<String, Camera> cameras = new ConcurrentHashMap<>();
    private final List<Consumer<String>> removed = new CopyOnWriteArrayList<>();
    private final String graph;
    private final int width;
    private final int height;
    private final double fps;

    @Inject
    public LavfiCameraFeeds() {
        this(GRAPH, 320, 240, 10, "cam1", "cam2", "cam3");
    }

    public LavfiCameraFeeds(String graph, int width, int height, double fps, String... ids) {
        this.graph = graph;
        this.width = width;
        this.height = height;
        this.fps = fps;
        for (String id : ids) {
            add(id);
        }
    }

    public void add(String cameraId) {
        cameras.putIfAbsent(cameraId, new Camera(cameraId));
    }

    /** Frames grabbed by the camera so far. */
    public long grabbed(String cameraId) {
        Camera camera = cameras.get(cameraId);
        return camera == null ? 0 : camera.grabbed;
    }

    public void remove(String cameraId) {
        Camera camera = cameras.remove(cameraId);
        if (camera != null) {
            camera.subscribers.forEach(Sub::close);
            removed.forEach(l -> l.accept(cameraId));
        }
    }

    @Override
    public List<CameraView> cameras() {
        return cameras.values().stream().map(Camera::view).toList();
    }

    @Override
    public Optional<CameraView> camera(String cameraId) {
        return Optional.ofNullable(cameras.get(cameraId)).map(Camera::view);
    }

    @Override
    public FeedSubscription subscribe(String cameraId, String name, ConsumerRole role, CameraFrameConsumer consumer) {
        Camera camera = cameras.get(cameraId);
        if (camera == null) {
            throw new NoSuchElementException("There is no camera " + cameraId + ".");
        }
        Sub sub = new Sub(camera, consumer);
        camera.subscribers.add(sub);
        camera.ensureRunning();
        return sub;
    }

    @Override
    public Registration onCameraRemoved(Consumer<String> listener) {
        removed.add(listener);
        return () -> removed.remove(listener);
    }

    private final class Camera {
        final String id;
        final List<Sub> subscribers = new CopyOnWriteArrayList<>();
        Thread thread;
        volatile long grabbed;

        Camera(String id) {
            this.id = id;
        }

        CameraView view() {
            return new CameraView(id, id, "lavfi:" + graph, width, height, fps, thread != null, fps, null);
        }

        synchronized void ensureRunning() {
            if (thread == null || !thread.isAlive()) {
                thread = new Thread(this::grab, "test-camera-" + id);
                thread.setDaemon(true);
                thread.start();
            }
        }

        private void grab() {
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(graph)) {
                grabber.setFormat("lavfi");
                grabber.setPixelFormat(avutil.AV_PIX_FMT_YUV420P); // as the real cameras deliver
                grabber.start();
                long sequence = 0;
                long started = System.nanoTime();
                while (!subscribers.isEmpty()) {
                    Frame frame = grabber.grabImage();
                    if (frame == null) {
                        break;
                    }
                    long due = started + grabber.getTimestamp() * 1000L; // lavfi is not real time: pace it
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    grabbed++;
                    TestFrame delivered = new TestFrame(id, ++sequence, System.currentTimeMillis(), frame);
                    for (Sub sub : subscribers) {
                        sub.deliver(delivered);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                synchronized (this) {
                    thread = null;
                }
            }
        }
    }

    private static final class Sub implements FeedSubscription {
        final Camera camera;
        final CameraFrameConsumer consumer;
        final AtomicLong delivered = new AtomicLong();
        volatile boolean open = true;

        Sub(Camera camera, CameraFrameConsumer consumer) {
            this.camera = camera;
            this.consumer = consumer;
        }

        synchronized void deliver(CameraFrame frame) {
            if (!open) {
                return;
            }
            try {
                consumer.onFrame(frame);
                delivered.incrementAndGet();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String cameraId() {
            return camera.id;
        }

        @Override
        public long delivered() {
            return delivered.get();
        }

        @Override
        public long dropped() {
            return 0;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public synchronized void close() {
            open = false;
            camera.subscribers.remove(this);
        }
    }

    private record TestFrame(String cameraId, long sequence, long capturedAtMillis, Frame image) implements CameraFrame {
        @Override
        public int width() {
            return image.imageWidth;
        }

        @Override
        public int height() {
            return image.imageHeight;
        }

        @Override
        public int pixelFormat() {
            return avutil.AV_PIX_FMT_YUV420P;
        }

        @Override
        public VideoFrame jpeg() {
            throw new UnsupportedOperationException("not needed by the recorder");
        }
    }
}
