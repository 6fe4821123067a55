package org.classtop.plugins.videosources;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.classtop.api.Event;
import org.classtop.api.server.Events;
import org.classtop.api.video.VideoFrame;
import org.classtop.api.video.VideoSourceStatus;
import org.classtop.plugins.videosources.fanout.FanOutSubscriber;
import org.classtop.plugins.videosources.fanout.FrameFanOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One source: its single upstream connection, held by one reading thread that reconnects with jittered
 * backoff until the source is deleted, the newest frame, the counters and the subscribers. The reading
 * thread hands every frame to each subscriber without blocking; nothing a subscriber does can slow it.
 */
final class Source {
    private static final Logger LOG = LoggerFactory.getLogger(Source.class);
    private static final int RATE_SAMPLES = 5;

    private final SourceSpec spec;
    private final VideoSettings settings;
    private final Events events;
    private final long createdAt;
    private final FrameFanOut<VideoFrame> subscribers = new FrameFanOut<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final ArrayDeque<long[]> samples = new ArrayDeque<>(); // {nanos, frames, bytes}
    private Thread reader;

    private volatile boolean stopped;
    private volatile boolean connected;
    private volatile FrameReader open;
    private volatile long openedAtNanos;
    private volatile long lastProgressNanos;
    private volatile VideoFrame latest;
    private volatile long frames;
    private volatile long bytes;
    private volatile long lastFrameAt;
    private volatile String lastError;
    private volatile long lastErrorAt;
    private volatile long reconnects;
    private volatile double fps;
    private volatile long bytesPerSecond;
    private volatile String stallReason;
    /** True from a failure until the next frame: one warning per failing episode, not one per attempt. */
    private boolean failing;
    private int failedAttempts;

    Source(SourceSpec spec, VideoSettings settings, Events events, long createdAt) {
        this.spec = spec;
        this.settings = settings;
        this.events = events;
        this.createdAt = createdAt;
    }

    String id() {
        return spec.id();
    }

    SourceSpec spec() {
        return spec;
    }

    long createdAt() {
        return createdAt;
    }

    VideoFrame latest() {
        return latest;
    }

    synchronized void start() {
        reader = new Thread(this::run, "video-sources-" + spec.id());
        reader.setDaemon(true);
        reader.start();
    }

    /** Stops for good: closes the connection, ends every subscriber, waits briefly for the reading thread. */
    void stop() {
        stopped = true;
        FrameReader current = open;
        if (current != null) {
            current.close();
        }
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        Thread thread;
        synchronized (this) {
            thread = reader;
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        subscribers.closeAll();
    }

    boolean isStopped() {
        return stopped;
    }

    /** The source's subscribers; closed for good when the source is deleted. */
    FrameFanOut<VideoFrame> fanOut() {
        return subscribers;
    }

    void add(FanOutSubscriber<VideoFrame> subscriber) {
        subscribers.add(subscriber);
    }

    int subscriberCount() {
        return subscribers.size();
    }

    private void run() {
        while (!stopped) {
            try {
                FrameReader connection = connect();
                open = connection;
                if (stopped) { // deleted while connecting
                    connection.close();
                    break;
                }
                openedAtNanos = lastProgressNanos = System.nanoTime();
                byte[] jpeg;
                while (!stopped && (jpeg = connection.next()) != null) {
                    publish(jpeg);
                }
                if (!stopped) {
                    failed(spec.isTcp() ? "The camera closed the connection." : "The stream ended.", null);
                }
            } catch (Exception | LinkageError e) {
                if (!stopped) {
                    failed(sentence(e), e);
                }
            } finally {
                FrameReader connection = open;
                open = null;
                if (connection != null) {
                    connection.close();
                }
                if (connected) {
                    connected = false;
                    publishEvent("video-sources.disconnected");
                }
            }
            if (!stopped) {
                backOff();
            }
        }
    }

    private FrameReader connect() throws IOException {
        if (!spec.isTcp()) {
            return FfmpegReader.open(spec, settings);
        }
        if (spec.host() == null) {
            throw new IOException("The source's address is not tcp://host:port.");
        }
        Socket socket = new Socket();
        open = new FrameReader() { // closable while connecting (delete, stop)
            @Override
            public byte[] next() {
                return null;
            }

            @Override
            public void close() {
                closeQuietly(socket);
            }
        };
        try {
            socket.connect(new InetSocketAddress(spec.host(), spec.port()), (int) settings.connectTimeout.toMillis());
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new IOException("Connecting to " + spec.host() + ":" + spec.port() + " timed out after "
                    + seconds(settings.connectTimeout) + " s.");
        } catch (IOException e) {
            closeQuietly(socket);
            throw e;
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, settings.stallTimeout.toMillis()));
        socket.setTcpNoDelay(true);
        socket.setReceiveBufferSize(1 << 20);
        Runnable close = () -> closeQuietly(socket);
        return spec.kind() == SourceSpec.Kind.TCP_MJPEG
                ? new MjpegReader(socket.getInputStream(), settings.maxFrameBytes, close)
                : new LengthPrefixedReader(new BufferedInputStream(socket.getInputStream(), 64 * 1024),
                        settings.maxFrameBytes, close);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
    }

    private void publish(byte[] jpeg) {
        long now = System.currentTimeMillis();
        lastProgressNanos = System.nanoTime();
        VideoFrame frame = new VideoFrame(spec.id(), frames + 1, now, jpeg);
        latest = frame;
        frames = frame.sequence(); // one writer: the reading thread
        bytes += jpeg.length;
        lastFrameAt = now;
        if (!connected) {
            connected = true;
            if (failing) {
                LOG.info("[video-sources] Source '{}' delivers frames again after {} failed attempt(s).", spec.id(), failedAttempts);
            }
            failing = false;
            failedAttempts = 0;
            publishEvent("video-sources.connected");
        }
        subscribers.publish(frame);
    }

    private void failed(String sentence, Throwable cause) {
        String reason = stallReason != null ? stallReason : sentence;
        stallReason = null;
        lastError = reason;
        lastErrorAt = System.currentTimeMillis();
        failedAttempts++;
        if (!failing) {
            failing = true;
            LOG.warn("[video-sources] Source '{}' ({}): {} Reconnecting with backoff; logged again when it recovers.",
                    spec.id(), spec.url(), reason);
            if (cause != null && LOG.isDebugEnabled()) {
                LOG.debug("[video-sources] Source '{}' failure detail", spec.id(), cause);
            }
        } else {
            LOG.debug("[video-sources] Source '{}' still failing (attempt {}): {}", spec.id(), failedAttempts, reason);
        }
    }

    /** Waits before the next attempt: 0.5 s, 1 s, 2 s, ... up to the maximum, each with ±50 % jitter. */
    private void backOff() {
        reconnects++;
        long base = settings.reconnectMin.toMillis() << Math.min(20, Math.max(0, failedAttempts - 1));
        long capped = Math.min(settings.reconnectMax.toMillis(), Math.max(1, base));
        long delay = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
        lock.lock();
        try {
            long left;
            while (!stopped && (left = deadline - System.nanoTime()) > 0) {
                wake.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            // stop() interrupts: the loop sees stopped
        } finally {
            lock.unlock();
        }
    }

    /** Called every second by the plugin's scheduler: rates, and a stalled connection is closed. */
    void tick() {
        long now = System.nanoTime();
        synchronized (samples) {
            samples.addLast(new long[]{now, frames, bytes});
            while (samples.size() > RATE_SAMPLES + 1) {
                samples.removeFirst();
            }
            long[] first = samples.peekFirst();
            double seconds = (now - first[0]) / 1e9;
            fps = seconds > 0.2 ? Math.round((frames - first[1]) / seconds * 10) / 10.0 : 0;
            bytesPerSecond = seconds > 0.2 ? Math.round((bytes - first[2]) / seconds) : 0;
        }
        FrameReader connection = open;
        if (connection != null && now - lastProgressNanos > settings.stallTimeout.toNanos()) {
            stallReason = "No frame for " + seconds(settings.stallTimeout) + " s: the stream stalled and was reopened.";
            lastProgressNanos = now; // one close per stall
            connection.close();
        }
    }

    private void publishEvent(String name) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("source_id", spec.id());
        data.put("url", spec.url());
        if (lastError != null && name.endsWith("disconnected")) {
            data.put("error", lastError);
        }
        try {
            events.publish(new Event(name, null, data, null));
        } catch (RuntimeException e) {
            LOG.debug("[video-sources] Could not publish {}", name, e);
        }
    }

    VideoSourceStatus status() {
        List<VideoSourceStatus.Subscriber> list = subscribers.subscribers().stream().map(Subscriber::status).toList();
        return new VideoSourceStatus(spec.id(), spec.url(), spec.format(), connected, connected ? fps : 0, frames,
                connected ? bytesPerSecond : 0, lastError, lastErrorAt, lastFrameAt, list);
    }

    long reconnects() {
        return reconnects;
    }

    private String sentence(Throwable e) {
        if (e instanceof MalformedStreamException) {
            return e.getMessage();
        }
        String where = spec.host() + ":" + spec.port();
        if (e instanceof ConnectException) {
            return "Connection to " + where + " refused (the camera is down or not listening).";
        }
        if (e instanceof UnknownHostException) {
            return "The host '" + spec.host() + "' is unknown.";
        }
        if (e instanceof NoRouteToHostException) {
            return "No route to " + where + ".";
        }
        if (e instanceof SocketTimeoutException) {
            return "No data for " + seconds(settings.stallTimeout) + " s: the stream stalled and was reopened.";
        }
        if (e instanceof InterruptedIOException) {
            return "The connection was interrupted.";
        }
        if (e instanceof LinkageError) {
            return "FFmpeg cannot run on this server (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); on Debian or Ubuntu install libpulse0.";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? "The connection failed (" + e.getClass().getSimpleName() + ")."
                : (spec.isTcp() ? "The connection failed: " + message.strip() : message.strip());
    }

    /** 10, 0.5, 2.25: a duration in seconds as a person writes it. */
    static String seconds(java.time.Duration duration) {
        return java.math.BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
    }
}
