package org.classtop.agent;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serializes the frames going out on one WebSocket ({@link WebSocket} allows one outstanding send at a
 * time). Text frames (answers, heartbeats, state, events) always go first; only when none waits is the
 * next binary frame taken from the binary lane, so a command's answer waits for at most one binary
 * frame. A bounded number of text frames may wait; beyond that a frame is dropped with a warning (the
 * server is not reading).
 */
final class OutboundQueue {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundQueue.class);
    static final int DEFAULT_LIMIT = 10_000;

    private final WebSocket socket;
    private final int limit;
    private final Consumer<Throwable> onFailure;
    private final ArrayDeque<String> texts = new ArrayDeque<>();
    private final CompletableFuture<Void> closeSent = new CompletableFuture<>();
    private Supplier<ByteBuffer> binary = () -> null;
    private boolean inFlight;
    private boolean closing;
    private boolean closeStarted;
    private boolean failed;
    private int closeCode;
    private String closeReason;

    /** {@code onFailure} learns of the first send that failed: the connection is broken then. */
    OutboundQueue(WebSocket socket, int limit, Consumer<Throwable> onFailure) {
        this.socket = socket;
        this.limit = limit;
        this.onFailure = onFailure;
    }

    /** Queues one text frame; false when it was dropped (closing, or too many frames waiting). */
    boolean sendText(String text) {
        synchronized (this) {
            if (closing || failed) {
                return false;
            }
            if (texts.size() >= limit) {
                LOG.warn("{} frames are waiting to be sent: dropping one", texts.size());
                return false;
            }
            texts.add(text);
        }
        pump();
        return true;
    }

    /** Where binary frames come from when no text frame waits; polled, so it must not block. */
    void binarySource(Supplier<ByteBuffer> source) {
        synchronized (this) {
            binary = source;
        }
        pump();
    }

    /** The binary lane has a frame ready. */
    void binaryReady() {
        pump();
    }

    /** Queues a close frame after the text frames already queued; later frames are dropped. */
    CompletableFuture<Void> sendClose(int code, String reason) {
        synchronized (this) {
            if (!closing) {
                closing = true;
                closeCode = code;
                closeReason = reason;
            }
        }
        pump();
        return closeSent;
    }

    synchronized int waiting() {
        return texts.size() + (inFlight ? 1 : 0);
    }

    /** Starts the next send if none is in flight; loops while sends complete at once. */
    private void pump() {
        while (true) {
            CompletableFuture<WebSocket> sending;
            synchronized (this) {
                if (inFlight || failed) {
                    return;
                }
                String text = texts.poll();
                if (text != null) {
                    sending = socket.sendText(text, true);
                } else if (closing) {
                    if (!closeStarted) {
                        closeStarted = true;
                        socket.sendClose(closeCode, closeReason).whenComplete((ignored, error) -> closeSent.complete(null));
                    }
                    return;
                } else {
                    ByteBuffer frame = binary.get();
                    if (frame == null) {
                        return;
                    }
                    sending = socket.sendBinary(frame, true);
                }
                inFlight = true;
            }
            if (sending.isDone()) {
                if (!sent(sending.handle((ignored, error) -> error).join())) {
                    return;
                }
                continue;
            }
            sending.whenComplete((ignored, error) -> {
                if (sent(error)) {
                    pump();
                }
            });
            return;
        }
    }

    /** @return whether sending may go on */
    private boolean sent(Throwable error) {
        synchronized (this) {
            inFlight = false;
            if (error == null) {
                return true;
            }
            failed = true;
            texts.clear();
        }
        closeSent.complete(null);
        LOG.debug("A frame could not be sent: {}", error.toString());
        onFailure.accept(error);
        return false;
    }
}
