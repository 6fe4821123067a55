package org.classtop.plugins.cctv.recording.server;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.RangedSource;

/**
 * One download of a recording that lies on an agent: the platform's file answer (Range, 206/416, ETag,
 * HEAD) reads it piece by piece; the bytes come in windows of {@code cctv_recording_read}, the next one
 * asked while the browser still reads the last (windows grow from 256 KiB to the relay's window size, so a
 * short Range costs little). At most about two windows are held. Reads are sequential: the platform reads
 * one range from its first byte to its last.
 */
final class RemoteRecording implements RangedSource {
    static final int FIRST_WINDOW = 256 * 1024;
    /** The piece the platform's file answer reads at a time. */
    static final int PIECE_BYTES = 64 * 1024;

    final RecordingRelay relay;
    final String clientUuid;
    final long id;
    private final long size;
    private final String etag;
    private final Runnable release;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int headUsed;          // bytes of the first chunk already handed out
    private long position = -1;    // the offset of the next byte the platform reads
    private long buffered;         // bytes received and not handed out yet
    private long requestedEnd;     // the offset after the last byte asked of the agent
    private int nextWindow = FIRST_WINDOW;
    private long rangeEnd;         // known end of what the platform will read (the size until a short read tells)
    private Window current;        // the window in flight, if any
    private Throwable failure;
    private CompletableFuture<ByteBuffer> waiting;
    private int waitingMax;
    private boolean closed;

    RemoteRecording(RecordingRelay relay, String clientUuid, long id, long size, String etag, Runnable release) {
        this.relay = relay;
        this.clientUuid = clientUuid;
        this.id = id;
        this.size = size;
        this.etag = etag;
        this.release = release;
        this.rangeEnd = size;
    }

    @Override
    public long length() {
        return size;
    }

    @Override
    public String etag() {
        return etag;
    }

    @Override
    public CompletionStage<ByteBuffer> read(long offset, int maxBytes) {
        Window toRequest;
        CompletableFuture<ByteBuffer> answer;
        synchronized (this) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            if (closed || waiting != null || offset < 0 || offset >= size || (position >= 0 && offset != position)) {
                return CompletableFuture.failedFuture(new IllegalStateException("A recording is read once, in order, a piece at a time."));
            }
            if (position < 0) {
                position = offset;
                requestedEnd = offset;
            }
            if (maxBytes < PIECE_BYTES) {
                // The platform asks for less than a piece only for the last piece of its range: nothing beyond it is needed.
                rangeEnd = Math.min(rangeEnd, offset + maxBytes);
            }
            if (buffered > 0) {
                answer = CompletableFuture.completedFuture(take(maxBytes));
            } else {
                waiting = answer = new CompletableFuture<>();
                waitingMax = maxBytes;
            }
            toRequest = nextWindowIfDue();
        }
        if (toRequest != null) {
            relay.request(toRequest);
        }
        return answer;
    }

    /** Under the lock: the next window when none is in flight and the buffer runs low (null otherwise). */
    private Window nextWindowIfDue() {
        int max = relay.settings().windowBytes();
        if (current != null || requestedEnd >= rangeEnd || buffered > max / 2) {
            return null;
        }
        long length = Math.min(nextWindow, rangeEnd - requestedEnd);
        current = new Window(this, requestedEnd, length);
        requestedEnd += length;
        nextWindow = (int) Math.min((long) nextWindow * 2, max);
        return current;
    }

    /** Under the lock: up to {@code max} buffered bytes. */
    private ByteBuffer take(int max) {
        int n = (int) Math.min(max, buffered);
        ByteBuffer out = ByteBuffer.allocate(n);
        while (out.hasRemaining()) {
            byte[] head = chunks.peekFirst();
            int part = Math.min(out.remaining(), head.length - headUsed);
            out.put(head, headUsed, part);
            headUsed += part;
            if (headUsed == head.length) {
                chunks.removeFirst();
                headUsed = 0;
            }
        }
        buffered -= n;
        position += n;
        return out.flip();
    }

    private void onChunk(Window window, byte[] chunk) {
        if (window.cancelled) {
            cancelledWindowOver(window);
            throw new IllegalStateException("The download was closed; the rest of the transfer is not wanted.");
        }
        CompletableFuture<ByteBuffer> ready = null;
        ByteBuffer piece = null;
        boolean tooLong = false;
        synchronized (this) {
            if (window != current || closed || failure != null) {
                if (window.cancelled) {
                    cancelledWindowOver(window);
                }
                throw new IllegalStateException("This download no longer wants the transfer.");
            }
            if (window.received + chunk.length > window.length) {
                tooLong = true;
                failLocked(new ApiException(502, "TRANSFER_TOO_LONG", "The client sent more of the recording than was asked."));
                ready = waiting;
                waiting = null;
            } else {
                window.received += chunk.length;
                window.lastProgressNanos = System.nanoTime();
                if (chunk.length > 0) {
                    chunks.addLast(chunk);
                    buffered += chunk.length;
                }
                if (waiting != null && buffered > 0) {
                    ready = waiting;
                    waiting = null;
                    piece = take(waitingMax);
                }
            }
        }
        complete(ready, piece);
        if (tooLong) {
            throw new IllegalStateException("The client sent more of the recording than was asked.");
        }
    }

    private void onEnd(Window window) {
        if (window.cancelled) {
            cancelledWindowOver(window);
            return;
        }
        Window next = null;
        CompletableFuture<ByteBuffer> ready = null;
        synchronized (this) {
            if (window != current) {
                if (window.cancelled) {
                    cancelledWindowOver(window);
                }
                return;
            }
            if (window.received != window.length) {
                failLocked(new ApiException(502, "TRANSFER_SHORT", "The client ended the recording's transfer after "
                        + window.received + " of " + window.length + " bytes."));
                ready = waiting;
                waiting = null;
            } else {
                window.finished = true;
                current = null;
                relay.forget(window);
                next = nextWindowIfDue();
            }
        }
        complete(ready, null);
        if (next != null) {
            relay.request(next);
        }
    }

    private void onFailure(Window window, Throwable cause) {
        CompletableFuture<ByteBuffer> ready;
        synchronized (this) {
            boolean changed = cause instanceof ApiException api && "RECORDING_CHANGED".equals(api.code());
            if (window.cancelled) {
                cancelledWindowOver(window);
                return;
            }
            if (failure != null || closed || (window != current && !changed)) {
                return;
            }
            failLocked(cause);
            ready = waiting;
            waiting = null;
        }
        complete(ready, null);
    }

    private void failLocked(Throwable cause) {
        failure = cause;
        if (current != null) {
            relay.forget(current);
            current = null;
        }
        chunks.clear();
        buffered = 0;
    }

    private void complete(CompletableFuture<ByteBuffer> ready, ByteBuffer piece) {
        if (ready == null) {
            return;
        }
        if (piece != null) {
            ready.complete(piece);
        } else {
            Throwable cause;
            synchronized (this) {
                cause = failure;
            }
            ready.completeExceptionally(cause != null ? cause : new IllegalStateException("The download ended."));
        }
    }

    @Override
    public void close() {
        CompletableFuture<ByteBuffer> ready;
        boolean releaseLater = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (current != null) {
                // The agent is still sending this window: its next chunk is refused (which aborts the agent's
                // transfer and frees its reading thread); the download's place is given back only then, or when
                // the window ends or fails, so that fast seeking cannot outrun the agent's readers.
                current.cancelled = true;
                current = null;
                releaseLater = true;
            }
            chunks.clear();
            buffered = 0;
            ready = waiting;
            waiting = null;
        }
        if (ready != null) {
            ready.completeExceptionally(new IllegalStateException("The download ended."));
        }
        if (!releaseLater) {
            release.run();
        }
    }

    /** A window cancelled by {@link #close()} is over (refused, ended, failed or timed out): the place is free. */
    private void cancelledWindowOver(Window window) {
        relay.forget(window);
        release.run();
    }

    /** One {@code cctv_recording_read}: bytes [offset, offset+length) of the file. */
    static final class Window {
        final RemoteRecording owner;
        final long offset;
        final long length;
        volatile String transfer;
        volatile long lastProgressNanos = System.nanoTime();
        volatile long received;
        volatile boolean cancelled;
        boolean finished;

        Window(RemoteRecording owner, long offset, long length) {
            this.owner = owner;
            this.offset = offset;
            this.length = length;
        }

        void chunk(byte[] bytes) {
            owner.onChunk(this, bytes);
        }

        void end() {
            owner.onEnd(this);
        }

        void fail(Throwable cause) {
            if (cancelled) {
                owner.cancelledWindowOver(this);
            } else {
                owner.onFailure(this, cause);
            }
        }
    }
}
