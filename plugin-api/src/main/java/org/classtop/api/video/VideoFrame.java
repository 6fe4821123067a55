package org.classtop.api.video;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One JPEG frame of a source. A frame is made once and shared by every subscriber (no per-subscriber
 * copy): treat it as immutable.
 */
public final class VideoFrame {
    private final String sourceId;
    private final long sequence;
    private final long receivedAtMillis;
    private final byte[] jpeg;

    /** {@code jpeg} is taken as it is (not copied): the caller hands it over and never changes it again. */
    public VideoFrame(String sourceId, long sequence, long receivedAtMillis, byte[] jpeg) {
        this.sourceId = Objects.requireNonNull(sourceId);
        this.sequence = sequence;
        this.receivedAtMillis = receivedAtMillis;
        this.jpeg = Objects.requireNonNull(jpeg);
    }

    public String sourceId() {
        return sourceId;
    }

    /** 1 for the first frame the source delivered since it was added (or the server started), then +1 per frame. */
    public long sequence() {
        return sequence;
    }

    /** When the server had the whole frame, epoch milliseconds. */
    public long receivedAtMillis() {
        return receivedAtMillis;
    }

    public int size() {
        return jpeg.length;
    }

    /** The JPEG as a read-only view (no copy). */
    public ByteBuffer jpeg() {
        return ByteBuffer.wrap(jpeg).asReadOnlyBuffer();
    }

    /**
     * The frame's own array, shared with every other subscriber, for APIs that take a {@code byte[]}
     * (a stream sink, a WebSocket): read it, never write to it.
     */
    public byte[] sharedBytes() {
        return jpeg;
    }
}
