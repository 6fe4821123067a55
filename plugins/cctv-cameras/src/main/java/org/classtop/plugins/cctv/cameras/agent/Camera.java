package org.classtop.plugins.cctv.cameras.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.classtop.plugins.cctv.cameras.CameraFrame;
import org.classtop.plugins.videosources.fanout.FrameFanOut;
import org.classtop.plugins.videosources.ffmpeg.JpegEncoder;
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
    private final FrameFanOut<CameraFrame> fanOut = new FrameFanOut<>();
    private final AtomicLong opens = new AtomicLong();
    private final ArrayDeque<long[]> samples = new ArrayDeque<>(); // {nanos, frames}
    private final Object jpegLock = new Object();
    private final Object sleep = new Object();
    private JpegEncoder jpegEncoder;
    private Thread thread;

    private volatile boolean stopped;
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

    /** Stops for good: ends every consumer, wakes the thread and waits briefly for it to release the source. */
    void stop() {
        stopped = true;
        fanOut.closeAll();
        synchronized (sleep) {
            sleep.notifyAll();
        }
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null && running != Thread.currentThread()) {
            try {
                running.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (jpegLock) {
            if (jpegEncoder != null) {
                jpegEncoder.close();
                jpegEncoder = null;
            }
        }
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
            reopenAtOnce = false;
            FFmpegFrameGrabber grabber = null;
            try {
                opens.incrementAndGet();
                grabber = open();
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
        avutil.av_log_set_level(avutil.AV_LOG_ERROR); // FFmpeg's per-frame chatter stays out of the log
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(spec.input());
        if (spec.format() != null) {
            grabber.setFormat(spec.format());
        }
        grabber.setPixelFormat(SharedFrame.PIXEL_FORMAT);
        if (spec.width() > 0) { // devices: asked of the camera (video_size); other sources: scaled by FFmpeg
            grabber.setImageWidth(spec.width());
            grabber.setImageHeight(spec.height());
        }
        CameraSpec.Kind kind = spec.kind();
        boolean device = kind == CameraSpec.Kind.V4L2 || kind == CameraSpec.Kind.DSHOW || kind == CameraSpec.Kind.AVFOUNDATION;
        if (spec.fps() > 0 && device) {
            grabber.setFrameRate(spec.fps());
        }
        if (kind == CameraSpec.Kind.URL && !spec.isFile()) {
            String micros = String.valueOf(settings.stallTimeout.toMillis() * 1000);
            grabber.setOption("rw_timeout", micros); // a network read that waits longer fails: the camera is reopened
            grabber.setOption("timeout", micros);
        }
        try {
            grabber.start();
        } catch (FFmpegFrameGrabber.Exception | RuntimeException e) {
            release(grabber);
            throw new IOException("FFmpeg could not open the source: " + reason(e));
        }
        if (grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
            release(grabber);
            throw new IOException("FFmpeg found no video stream in the source.");
        }
        return grabber;
    }

    /** Reads until the source ends or the camera stops; the number of frames read. */
    private long grabFrames(FFmpegFrameGrabber grabber) throws IOException {
        long sequence = 0;
        long firstTimestamp = -1;
        long firstNanos = 0;
        long keptNanos = 0;
        long interval = spec.fps() > 0 ? (long) (1e9 / spec.fps()) : 0;
        while (!stopped) {
            Frame frame;
            try {
                frame = grabber.grabImage();
            } catch (FFmpegFrameGrabber.Exception | RuntimeException e) {
                throw new IOException("FFmpeg could not read the source: " + reason(e));
            }
            if (frame == null) {
                return sequence;
            }
            if (frame.image == null) {
                continue;
            }
            long now = System.nanoTime();
            if (spec.needsPacing()) { // files and lavfi graphs at their own rate, not as fast as FFmpeg decodes
                if (firstTimestamp < 0 || frame.timestamp < firstTimestamp) {
                    firstTimestamp = frame.timestamp;
                    firstNanos = now;
                } else {
                    long wait = firstNanos + (frame.timestamp - firstTimestamp) * 1000 - now;
                    if (wait > 0 && !pause(wait)) {
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
                fanOut.publish(shared);
                shared.release(); // the consumers' mailboxes hold their own references
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
        boolean changed = !sentence.equals(lastError);
        lastError = sentence;
        lastErrorAt = System.currentTimeMillis();
        if (first || failedAttempts == 1) {
            LOG.warn("[cctv-cameras] Camera '{}' ({}): {} Retrying with backoff; logged again when it recovers.",
                    id(), spec.source(), sentence);
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

    /** javacv's message without its hints for programmers ("Has setFormat() been called?"). */
    static String reason(Throwable e) {
        return JpegEncoder.reason(e).replaceAll("\\s*\\((Has setFormat\\(\\) been called\\?|For more details[^)]*)\\)", "").strip();
    }

    private static void release(FFmpegFrameGrabber grabber) {
        if (grabber == null) {
            return;
        }
        try {
            grabber.close();
        } catch (Exception | Error ignored) {
            // best effort
        }
    }

    private static String sentence(Throwable e) {
        if (e instanceof LinkageError) {
            return "FFmpeg cannot run on this client (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ").";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? "The camera failed (" + e.getClass().getSimpleName() + ")." : message.strip();
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
