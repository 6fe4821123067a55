package org.classtop.agent;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serializes the frames going out on one WebSocket. {@link WebSocket#sendText} allows one outstanding
 * send at a time, so each send is chained on the future of the previous one. A bounded number of
 * frames may wait; beyond that a frame is dropped with a warning (the server is not reading).
 */
final class OutboundQueue {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundQueue.class);
    static final int DEFAULT_LIMIT = 10_000;

    private final WebSocket socket;
    private final int limit;
    private final Consumer<Throwable> onFailure;
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    private int waiting;
    private boolean closing;

    /** {@code onFailure} learns of the first send that failed: the connection is broken then. */
    OutboundQueue(WebSocket socket, int limit, Consumer<Throwable> onFailure) {
        this.socket = socket;
        this.limit = limit;
        this.onFailure = onFailure;
    }

    /** Queues one text frame; false when it was dropped (closing, or too many frames waiting). */
    synchronized boolean sendText(String text) {
        if (closing) {
            return false;
        }
        if (waiting >= limit) {
            LOG.warn("{} frames are waiting to be sent: dropping one", waiting);
            return false;
        }
        waiting++;
        tail = tail.handle((ignored, error) -> null)
                .thenCompose(ignored -> socket.sendText(text, true))
                .whenComplete((ignored, error) -> sent(error));
        return true;
    }

    /** Queues a close frame after everything already queued; later frames are dropped. */
    synchronized CompletableFuture<Void> sendClose(int code, String reason) {
        if (closing) {
            return tail.handle((ignored, error) -> null);
        }
        closing = true;
        tail = tail.handle((ignored, error) -> null)
                .thenCompose(ignored -> socket.sendClose(code, reason));
        return tail.handle((ignored, error) -> null);
    }

    synchronized int waiting() {
        return waiting;
    }

    private void sent(Throwable error) {
        synchronized (this) {
            waiting--;
        }
        if (error != null) {
            LOG.debug("A frame could not be sent: {}", error.toString());
            onFailure.accept(error);
        }
    }
}
