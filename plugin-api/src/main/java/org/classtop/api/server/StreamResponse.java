package org.classtop.api.server;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A handler's answer that goes on: return it from a {@link RouteHandler}; the platform sends the status
 * line and headers, then calls {@code onOpen} with a {@link StreamSink} the plugin writes to from any
 * thread until the client goes away or the plugin stops. {@code onOpen} runs on a worker thread and must
 * return promptly: hook the sink to your producer (a frame listener, a {@link org.classtop.api.Scheduler}
 * task), never loop in it.
 *
 * <pre>{@code
 * return StreamResponse.multipart(sink -> frames.subscribe(jpeg -> sink.send("image/jpeg", jpeg), sink));
 * }</pre>
 */
public final class StreamResponse {
    /** What happens when a client reads slower than the plugin writes. */
    public enum SlowClient {
        /**
         * Parts wait up to {@link #maxQueuedBytes()}; beyond it the oldest waiting parts are dropped and the
         * newest always waits (live video: a slow viewer skips frames, one that keeps up on average rides out
         * a burst without losing any).
         */
        NEWEST_WINS,
        /** Close the stream once more than {@link #maxQueuedBytes()} bytes wait (a log or a feed that must not skip). */
        DISCONNECT
    }

    public static final String MULTIPART = "multipart/x-mixed-replace";
    static final long DEFAULT_MAX_QUEUED_BYTES = 4L << 20;

    private final String contentType;
    private final boolean multipart;
    private final SlowClient slowClient;
    private final long maxQueuedBytes;
    private final Consumer<StreamSink> onOpen;

    private StreamResponse(String contentType, boolean multipart, SlowClient slowClient, long maxQueuedBytes,
                           Consumer<StreamSink> onOpen) {
        this.contentType = Objects.requireNonNull(contentType);
        this.multipart = multipart;
        this.slowClient = Objects.requireNonNull(slowClient);
        if (maxQueuedBytes < 1) {
            throw new IllegalArgumentException("maxQueuedBytes must be positive, not " + maxQueuedBytes);
        }
        this.maxQueuedBytes = maxQueuedBytes;
        this.onOpen = Objects.requireNonNull(onOpen);
    }

    /**
     * {@code multipart/x-mixed-replace} (MJPEG in an {@code <img>} tag), newest-wins. Each part's bytes are
     * sent as they are, not copied (one frame can go to every viewer): don't change an array after sending it.
     */
    public static StreamResponse multipart(Consumer<StreamSink> onOpen) {
        return new StreamResponse(MULTIPART, true, SlowClient.NEWEST_WINS, DEFAULT_MAX_QUEUED_BYTES, onOpen);
    }

    /** A chunked answer of one content type (e.g. {@code text/plain}, {@code application/x-ndjson}), disconnect when slow. */
    public static StreamResponse chunked(String contentType, Consumer<StreamSink> onOpen) {
        return new StreamResponse(contentType, false, SlowClient.DISCONNECT, DEFAULT_MAX_QUEUED_BYTES, onOpen);
    }

    public StreamResponse slowClient(SlowClient rule) {
        return new StreamResponse(contentType, multipart, rule, maxQueuedBytes, onOpen);
    }

    /** The most bytes waiting for one client (default 4 MiB); the {@link SlowClient} rule applies beyond it. */
    public StreamResponse maxQueuedBytes(long bytes) {
        return new StreamResponse(contentType, multipart, slowClient, bytes, onOpen);
    }

    public String contentType() {
        return contentType;
    }

    public boolean isMultipart() {
        return multipart;
    }

    public SlowClient slowClient() {
        return slowClient;
    }

    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    public Consumer<StreamSink> onOpen() {
        return onOpen;
    }
}
