package org.classtop.api.agent;

import java.time.Duration;

/**
 * A flow-controlled transfer from {@link BinaryStreams#openTransfer}. Write it from one thread: write
 * the bytes, then {@link #finish()}; {@link #close()} without {@code finish()} aborts it, so
 * try-with-resources never leaves a half transfer that looks complete.
 */
public interface Transfer extends AutoCloseable {
    /** The stream's name on the wire, {@code <plugin-id>.<name>}. */
    String name();

    /**
     * Sends {@code bytes}, cut into chunks, waiting for the server's credit as needed; returns once every
     * chunk is queued on the connection. At most one window (1 MiB) of a transfer waits in memory.
     *
     * @throws TransferException when the transfer was aborted (connection lost, server refused it), or no
     *                           credit came within {@code timeout}, which aborts it
     * @throws InterruptedException when the writing thread is interrupted, which aborts it
     */
    void write(byte[] bytes, Duration timeout) throws TransferException, InterruptedException;

    /** Tells the server the transfer is complete. */
    void finish() throws TransferException;

    /** Aborts the transfer; the server side is told {@code reason}. Nothing happens after finish or abort. */
    void abort(String reason);

    /** Bytes written so far. */
    long bytesWritten();

    /** Aborts the transfer unless it was finished. */
    @Override
    void close();
}
