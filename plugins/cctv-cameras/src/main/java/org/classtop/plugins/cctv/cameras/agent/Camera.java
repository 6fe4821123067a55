package org.classtop.plugins.cctv.cameras.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.classtop.plugins.cctv.cameras.CameraFrame;
import org.classtop.plugins.videosources.fanout.FrameFanOut;
import org.classtop.plugins.videosources.ffmpeg.Backoff;
import org.classtop.plugins.videosources.ffmpeg.Grabbers;
import org.classtop.plugins.videosources.ffmpeg.JpegEncoder;
import org.classtop.plugins.videosources.ffmpeg.Pacer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera: its single grabber thread, which opens the source, decodes frames and hands them to the
 * camera's consumers through the shared {@link FrameFanOut}, and reopens it with jittered exponential
 * backoff when it fails (also when the first attempt fails) until the camera is removed. A video file loops:
 * its end reopens it at once. The thread never waits for a consumer.
 */
final class Camera {
    private static final Logger LOG = LoggerFactory.getLogger(Camera.class);
    private static final int RATE_SAMPLES = 5;
    static final long STOP_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** What the service hears from the grabber thread. */
    interface Listener {
        void connected(Camera camera);

        /** {@code firstOfEpisode}: the first failure since the camera last delivered (or since it was added). */
        void failed(Camera camera, String error, boolean firstOfEpisode);
    }

    private final CameraSpec spec;
    private final CameraSettings settings;
    private final Listener listener;
    private final Backoff backoff;
    private final Pacer pacer = new Pacer();
    private final FrameFanOut<CameraFrame> fanOut = new FrameFanOut<>();
    private final AtomicLong opens = new AtomicLong();
    private final ArrayDeque<long[]> samples = new ArrayDeque<>(); // {nanos, frames}
    private final Object jpegLock = new Object();
    private final Object sleep = new Object();
    private JpegEncoder jpegEncoder;
    private Thread thread;

    private volatile boolean stopped;
    private volatile boolean removalAnnounced;
    private volatile boolean connected;
    private volatile long frames;
    private volatile long lastFrameAt;
    private volatile double measuredFps;
    private volatile String lastError;
    private volatile long lastErrorAt;
    private volatile int frameWidth;
    private volatile int frameHeight;
    private volatile long lastDelayMillis;
    private volatile int failedAttempts;
    private boolean failing = true; // until the first frame: a failing first attempt starts an episode too

    Camera(CameraSpec spec, CameraSettings settings, Listener listener) {
        this.spec = spec;
        this.settings = settings;
        this.listener = listener;
        this.backoff = new Backoff(settings.reconnectMin, settings.reconnectMax);
    }

    String id() {
        return spec.cameraId();
    }

    CameraSpec spec() {
        return spec;
    }

    FrameFanOut<CameraFrame> fanOut() {
        return fanOut;
    }

    synchronized void start() {
        thread = new Thread(this::run, "cctv-cameras-" + spec.cameraId());
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops for good and waits up to 5 s for the grabber thread; false when it still runs (it is logged). */
    boolean stop() {
        signalStop();
        return awaitStop(System.nanoTime() + STOP_WAIT_NANOS);
    }

    /** Stops for good without waiting: ends every consumer, wakes the thread, frees the JPEG encoder. */
    void signalStop() {
        stopped = true;
        fanOut.closeAll();
        synchronized (sleep) {
            sleep.notifyAll();
        }
        synchronized (jpegLock) {
            if (jpegEncoder != null) {
                jpegEncoder.close();
                jpegEncoder = null;
            }
        }
    }

    /**
     * Waits until the grabber thread has released the source, at most until {@code deadlineNanos}
     * ({@link System#nanoTime()}); a thread outliving the wait is logged and the camera stays {@link #alive()}.
     */
    boolean awaitStop(long deadlineNanos) {
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running == null || running == Thread.currentThread()) {
            return true;
        }
        try {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(running, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (running.isAlive()) {
            LOG.warn("[cctv-cameras] The grabber thread of camera '{}' is still inside FFmpeg after the stop; its id and "
                    + "source stay busy until it ends.", id());
            return false;
        }
        return true;
    }

    void announceRemoval() {
        removalAnnounced = true;
    }

    boolean removalAnnounced() {
        return removalAnnounced;
    }

    /** Whether the grabber thread still runs (also after a stop it may be blocked inside FFmpeg for a while). */
    synchronized boolean alive() {
        return thread != null && thread.isAlive();
    }

    /** A camera that must not be opened (a source saved before the source check): failed, its thread never starts. */
    void refuse(String sentence) {
        stopped = true;
        failed("Refused: " + sentence);
    }

    private void run() {
        boolean reopenAtOnce = false;
        while (!stopped) {
            if (!reopenAtOnce && failedAttempts > 0) {
                backOff();
                if (stopped) {
                    break;
                }
            }
            boolean reopened = reopenAtOnce;
            reopenAtOnce = false;
            FFmpegFrameGrabber grabber = null;
            try {
                opens.incrementAndGet();
                grabber = open();
                if (reopened) {
                    pacer.restart(grabber.getFrameRate()); // the next loop starts one frame after the last one
                }
                long grabbed = grabFrames(grabber);
                if (!stopped) {
                    if (spec.isFile() && grabbed > 0) {
                        reopenAtOnce = true; // the end of a file: play it again
                    } else {
                        failed(spec.isFile() ? "The video file has no video frames FFmpeg can decode." : "The stream ended.");
                    }
                }
            } catch (IOException | RuntimeException | LinkageError e) {
                if (!stopped) {
                    failed(sentence(e));
                }
            } finally {
                release(grabber);
            }
        }
        connected = false;
    }

    private FFmpegFrameGrabber open() throws IOException {
        CameraSpec.Kind kind = spec.kind();
        boolean device = kind == CameraSpec.Kind.V4L2 || kind == CameraSpec.Kind.DSHOW || kind == CameraSpec.Kind.AVFOUNDATION;
        // devices: the size is asked of the camera (video_size); other sources: scaled by FFmpeg
        return Grabbers.open(new Grabbers.Input(spec.input(), spec.format(), SharedFrame.PIXEL_FORMAT, spec.width(),
                spec.height(), device ? spec.fps() : 0), settings.stallTimeout, settings.maxPixels);
    }

    /** Reads until the source ends or the camera stops; the number of frames read. */
    private long grabFrames(FFmpegFrameGrabber grabber) throws IOException {
        long sequence = 0;
        long keptNanos = 0;
        long interval = spec.fps() > 0 ? (long) (1e9 / spec.fps()) : 0;
        while (!stopped) {
            Frame frame = Grabbers.nextImage(grabber);
            if (frame == null) {
                return sequence;
            }
            long now = System.nanoTime();
            if (spec.needsPacing()) { // files and lavfi graphs at their own rate, not as fast as FFmpeg decodes
                long wait = pacer.waitNanos(frame.timestamp, now);
                if (wait > 0) {
                    if (!pause(wait)) {
                        return sequence;
                    }
                    now = System.nanoTime();
                }
            }
            if (interval > 0 && sequence > 0 && now - keptNanos < interval - interval / 10) {
                continue; // above the asked rate
            }
            keptNanos = now;
            sequence++;
            frames++;
            lastFrameAt = System.currentTimeMillis();
            frameWidth = frame.imageWidth;
            frameHeight = frame.imageHeight;
            if (!connected) {
                connected = true;
                if (failedAttempts > 0) {
                    LOG.info("[cctv-cameras] Camera '{}' delivers frames again after {} failed attempt(s).", id(), failedAttempts);
                }
                failing = false;
                failedAttempts = 0;
                listener.connected(this);
            }
            if (!fanOut.isEmpty()) { // copied once for every consumer: the grabber reuses its buffer
                SharedFrame shared = new SharedFrame(this, sequence, lastFrameAt, copyAllPlanes(frame));
                try {
                    fanOut.publish(shared);
                } finally {
                    shared.release(); // the consumers' mailboxes hold their own references
                }
            }
        }
        return sequence;
    }

    /**
     * A copy of every plane of a grabbed frame. {@code Frame.clone()} is not enough: for planar YUV the grabber
     * sets the buffer's limit to the luma plane (width x height) while the chroma planes follow it in the same
     * allocation, so a clone would carry a third of the picture missing and FFmpeg, reading the whole picture
     * from the address, would read past the copy. The copy's limit covers all planes.
     */
    static Frame copyAllPlanes(Frame frame) {
        ByteBuffer source = ((ByteBuffer) frame.image[0]).duplicate();
        source.clear(); // position 0, limit = capacity: the luma plane and the chroma planes after it
        int rowBytes = Math.max(1, frame.imageStride * Math.max(1, frame.imageChannels));
        int rows = (source.capacity() + rowBytes - 1) / rowBytes;
        Frame copy = new Frame(frame.imageWidth, rows, frame.imageDepth, frame.imageChannels, frame.imageStride);
        ByteBuffer target = (ByteBuffer) copy.image[0];
        target.clear();
        target.put(source);
        target.flip();
        copy.imageHeight = frame.imageHeight;
        copy.timestamp = frame.timestamp;
        copy.keyFrame = frame.keyFrame;
        copy.pictType = frame.pictType;
        copy.streamIndex = frame.streamIndex;
        copy.type = frame.type;
        return copy;
    }

    private boolean pause(long nanos) {
        try {
            synchronized (sleep) {
                if (!stopped) {
                    TimeUnit.NANOSECONDS.timedWait(sleep, nanos);
                }
            }
            return !stopped;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void failed(String sentence) {
        boolean first = !failing;
        failing = true;
        connected = false;
        failedAttempts++;
        sentence = Grabbers.redact(sentence); // FFmpeg quotes the URL, with its password
        boolean changed = !sentence.equals(lastError);
        lastError = sentence;
        lastErrorAt = System.currentTimeMillis();
        if (first || failedAttempts == 1) {
            LOG.warn("[cctv-cameras] Camera '{}' ({}): {} Retrying with backoff; logged again when it recovers.",
                    id(), Grabbers.redact(spec.source()), sentence);
        } else {
            LOG.debug("[cctv-cameras] Camera '{}' still failing (attempt {}): {}", id(), failedAttempts, sentence);
        }
        listener.failed(this, sentence, first || failedAttempts == 1 || changed);
    }

    private void backOff() {
        long delay = backoff.delayMillis(failedAttempts, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
        lastDelayMillis = delay;
        pause(TimeUnit.MILLISECONDS.toNanos(delay));
    }

    private static void release(FFmpegFrameGrabber grabber) {
        Grabbers.close(grabber);
    }

    private static String sentence(Throwable e) {
        if (e instanceof LinkageError) {
            return "FFmpeg cannot run on this client (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ").";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? "The camera failed (" + e.getClass().getSimpleName() + ")."
                : Grabbers.redact(message.strip());
    }

    /** The JPEG of a frame of this camera: one encoder per camera, re-made when the frame size changes. */
    byte[] encodeJpeg(Frame image, int pixelFormat) throws IOException {
        synchronized (jpegLock) {
            if (stopped) {
                throw new IOException("The camera '" + id() + "' was removed.");
            }
            if (jpegEncoder == null || jpegEncoder.width() != image.imageWidth || jpegEncoder.height() != image.imageHeight) {
                if (jpegEncoder != null) {
                    jpegEncoder.close();
                }
                jpegEncoder = null;
                jpegEncoder = new JpegEncoder(image.imageWidth, image.imageHeight, settings.jpegQscale, 25);
            }
            byte[] jpeg = jpegEncoder.encode(image, pixelFormat);
            if (jpeg == null) {
                throw new IOException("FFmpeg gave no JPEG for the frame.");
            }
            return jpeg;
        }
    }

    /** Called every second: the measured rate over the last few seconds. */
    void tick() {
        long now = System.nanoTime();
        synchronized (samples) {
            samples.addLast(new long[]{now, frames});
            while (samples.size() > RATE_SAMPLES + 1) {
                samples.removeFirst();
            }
            long[] first = samples.peekFirst();
            double seconds = (now - first[0]) / 1e9;
            measuredFps = seconds > 0.2 ? Math.round((frames - first[1]) / seconds * 10) / 10.0 : 0;
        }
    }

    boolean connected() {
        return connected;
    }

    double measuredFps() {
        return connected ? measuredFps : 0;
    }

    String lastError() {
        return lastError;
    }

    long lastErrorAt() {
        return lastErrorAt;
    }

    long frames() {
        return frames;
    }

    long lastFrameAt() {
        return lastFrameAt;
    }

    /** Times the source was opened (or tried): one per connection, however many consumers. */
    long opens() {
        return opens.get();
    }

    int failedAttempts() {
        return failedAttempts;
    }

    long lastDelayMillis() {
        return lastDelayMillis;
    }

    int frameWidth() {
        return frameWidth;
    }

    int frameHeight() {
        return frameHeight;
    }
}
