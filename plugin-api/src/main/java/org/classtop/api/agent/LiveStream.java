package org.classtop.api.agent;

/** A live stream from {@link BinaryStreams#openLive}: newest wins. Thread-safe. */
public interface LiveStream extends AutoCloseable {
    /** The stream's name on the wire, {@code <plugin-id>.<name>}. */
    String name();

    /**
     * Hands the newest frame to the lane (the array is not copied: do not change it afterwards). Never
     * blocks; false when the frame was dropped at once (disconnected, closed, or larger than
     * {@link #MAX_FRAME_BYTES}).
     */
    boolean offer(byte[] frame);

    /** Frames dropped so far: replaced by a newer one before they were sent, or offered while disconnected. */
    long dropped();

    /** Frames handed to the connection so far. */
    long sent();

    /** Stops the stream; later offers are dropped. */
    @Override
    void close();

    /** The largest live frame (960 KiB). */
    int MAX_FRAME_BYTES = 960 * 1024;
}
