package org.classtop.api.server;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * Bytes of a known length that can be read from any offset, for a {@link FileResponse}: a file
 * ({@link FileResponse#of(java.nio.file.Path, String)}), or something a plugin fetches in pieces (a
 * recording relayed from an agent). The platform asks for one piece at a time and asks for the next only
 * when the previous one was written to the client, so a slow client holds at most one piece in memory.
 */
public interface RangedSource {
    /** The total length in bytes. */
    long length();

    /** A strong validator of this content (quotes not needed), or null for none: then no ETag is sent. */
    String etag();

    /**
     * Reads up to {@code maxBytes} bytes at {@code offset} (never past {@link #length()}). The stage may
     * complete on any thread; a buffer with fewer bytes is fine, an empty one or a failure ends the answer.
     */
    CompletionStage<ByteBuffer> read(long offset, int maxBytes);

    /** Called once when the answer ended (sent, failed or the client went away). */
    default void close() {
    }
}
