package org.classtop.api.server;

/**
 * An open streaming answer ({@link StreamResponse}). Thread-safe: write parts from any thread. Writing
 * never blocks: the platform queues at most {@link StreamResponse#maxQueuedBytes()} bytes for a client
 * and applies the stream's {@link StreamResponse.SlowClient} rule beyond that.
 */
public interface StreamSink {
    /**
     * Sends one part: for {@code multipart/x-mixed-replace} one whole part with its own content type
     * (e.g. one JPEG frame); for a chunked stream the bytes as they are ({@code contentType} is ignored).
     *
     * A multipart stream sends {@code bytes} as they are, without copying: don't change the array afterwards.
     *
     * @return false when the stream is closed (a newest-wins stream queues every part, dropping the
     *         oldest waiting ones beyond its byte bound: see {@link #droppedParts()})
     */
    boolean send(String contentType, byte[] bytes);

    /** False once the client went away, the plugin or server stopped, or {@link #close()} was called. */
    boolean isOpen();

    /** Runs {@code callback} once when the stream ends for any reason (at once if it already has). */
    void onClose(Runnable callback);

    /** Parts dropped so far by the newest-wins rule. */
    long droppedParts();

    /** Ends the answer: sends what is queued, then the closing boundary. */
    void close();
}
