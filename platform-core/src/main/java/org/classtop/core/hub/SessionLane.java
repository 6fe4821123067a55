package org.classtop.core.hub;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.classtop.api.server.AgentStreamReceiver;
import org.classtop.api.server.AgentTransfer;
import io.undertow.websockets.core.CloseMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The binary lane of one agent connection: what arrived and waits for its receiver. Frames are accepted
 * on the I/O thread (state changes under this object's lock, no receiver code) and delivered one at a
 * time on the stream executor. A live stream keeps only its newest undelivered frame.
 */
final class SessionLane {
    private static final Logger LOG = LoggerFactory.getLogger(SessionLane.class);

    /** One transfer of this connection. */
    private static final class InTransfer {
        final AgentTransfer transfer;
        final AgentStreamReceiver receiver;
        /** Bytes received and not yet credited back (delivered or waiting). */
        long unacknowledged;
        /** Bytes delivered and not yet credited back. */
        long toCredit;
        boolean over;

        InTransfer(AgentTransfer transfer, AgentStreamReceiver receiver) {
            this.transfer = transfer;
            this.receiver = receiver;
        }
    }

    private sealed interface Item permits Live, Chunk, End, Abort {
    }

    private record Live(String stream) implements Item {
    }

    private record Chunk(InTransfer transfer, byte[] bytes) implements Item {
    }

    private record End(InTransfer transfer) implements Item {
    }

    private record Abort(InTransfer transfer, String reason, boolean tellAgent) implements Item {
    }

    private final AgentStreamRouter router;
    private final AgentSession session;
    private final String clientUuid;
    private final Executor executor;
    private final Queue<Item> items = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    // Guarded by this.
    private final Map<String, byte[]> newestLive = new HashMap<>();
    private final Map<Long, InTransfer> transfers = new HashMap<>();
    private final Set<Long> refused = new LinkedHashSet<>();
    private long liveBytes;
    /**
     * Chunk bytes waiting for their receiver, over all transfers: a transfer's credit ends with its END, so
     * without this an agent could end and reopen transfers while the receiver is slow and queue without bound.
     */
    private long queuedChunkBytes;
    private boolean closed;
    /** Delivery thread only: when a failing receiver was last logged (at most every 10 s per agent). */
    private long lastReceiverWarning;

    SessionLane(AgentStreamRouter router, AgentSession session, Executor executor) {
        this.router = router;
        this.session = session;
        this.clientUuid = session.client().uuid();
        this.executor = executor;
    }

    // ---- I/O thread ----------------------------------------------------------------------

    void accept(LaneFrame frame) {
        switch (frame.kind()) {
            case LIVE -> live(frame);
            case CHUNK, END -> transferFrame(frame);
            case ABORT -> agentAborted(frame);
        }
    }

    private void live(LaneFrame frame) {
        if (router.receiverOf(frame.stream()) == null) {
            unrouted(frame.stream());
            return;
        }
        boolean schedule;
        synchronized (this) {
            if (closed) {
                return;
            }
            byte[] waiting = newestLive.get(frame.stream());
            long after = liveBytes - (waiting == null ? 0 : waiting.length) + frame.payload().length;
            if ((waiting == null && newestLive.size() >= AgentStreamRouter.MAX_LIVE_STREAMS)
                    || after > AgentStreamRouter.MAX_LIVE_BYTES) {
                router.liveDropped.incrementAndGet();
                return;
            }
            newestLive.put(frame.stream(), frame.payload());
            liveBytes = after;
            schedule = waiting == null;
            if (waiting != null) {
                router.liveDropped.incrementAndGet();
            }
        }
        if (schedule) {
            enqueue(new Live(frame.stream()));
        }
    }

    private void transferFrame(LaneFrame frame) {
        Item item;
        synchronized (this) {
            if (closed || refused.contains(frame.transferId())) {
                return;
            }
            InTransfer open = transfers.get(frame.transferId());
            if (open == null) {
                AgentStreamReceiver receiver = router.receiverOf(frame.stream());
                if (receiver == null) {
                    refuse(frame, "No plugin of the server receives the stream '" + frame.stream() + "'.");
                    router.unrouted.incrementAndGet();
                    return;
                }
                if (queuedChunkBytes >= MAX_QUEUED_CHUNK_BYTES) {
                    refuse(frame, "The server is still delivering this agent's earlier transfers; try again later.");
                    return;
                }
                if (transfers.size() >= AgentStreamRouter.MAX_TRANSFERS) {
                    refuse(frame, "This agent already has " + AgentStreamRouter.MAX_TRANSFERS + " transfers open.");
                    return;
                }
                open = new InTransfer(new AgentTransfer(clientUuid, frame.stream(), frame.transferId()), receiver);
                transfers.put(frame.transferId(), open);
            } else if (!open.transfer.stream().equals(frame.stream())) {
                violation("Transfer " + frame.transferId() + " changed its stream name.");
                return;
            }
            if (frame.kind() == LaneFrame.Kind.END) {
                transfers.remove(frame.transferId());
                item = new End(open);
            } else {
                open.unacknowledged += frame.payload().length;
                if (open.unacknowledged > AgentStreamRouter.TRANSFER_WINDOW) {
                    violation("Transfer " + frame.transferId() + " sent more than its credit.");
                    return;
                }
                queuedChunkBytes += frame.payload().length;
                item = new Chunk(open, frame.payload());
            }
        }
        enqueue(item);
    }

    private void agentAborted(LaneFrame frame) {
        InTransfer open;
        synchronized (this) {
            open = transfers.remove(frame.transferId());
        }
        if (open != null) {
            String reason = new String(frame.payload(), java.nio.charset.StandardCharsets.UTF_8);
            enqueue(new Abort(open, "The agent aborted the transfer: " + (reason.isBlank() ? "no reason given." : reason), false));
        }
    }

    /** The connection closed: open transfers are aborted, waiting live frames dropped. */
    void disconnected() {
        java.util.List<InTransfer> open;
        synchronized (this) {
            closed = true;
            router.liveDropped.addAndGet(newestLive.size());
            newestLive.clear();
            liveBytes = 0;
            open = java.util.List.copyOf(transfers.values());
            transfers.clear();
        }
        open.forEach(t -> enqueue(new Abort(t, "The agent disconnected before the transfer ended.", false)));
    }

    private void refuse(LaneFrame frame, String reason) {
        rememberRefused(frame.transferId());
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "stream_abort");
        message.put("stream", frame.stream());
        message.put("transfer_id", frame.transferId());
        message.put("reason", reason);
        AgentStreamRouter.sendJson(session, message);
        if (session.mayNotice()) {
            LOG.info("Refused transfer {} of client {}: {}", frame.transferId(), clientUuid, reason);
        }
    }

    private void rememberRefused(long transferId) {
        refused.add(transferId);
        if (refused.size() > AgentStreamRouter.REMEMBERED_REFUSALS) {
            refused.remove(refused.iterator().next());
        }
    }

    private void unrouted(String stream) {
        router.unrouted.incrementAndGet();
        if (session.mayNotice()) {
            AgentStreamRouter.sendJson(session, Map.of("type", "error",
                    "error", "No plugin of the server receives the stream '" + stream + "'; its frames are dropped."));
        }
    }

    private void violation(String reason) {
        router.malformed.incrementAndGet();
        LOG.warn("Closing client {}: {}", clientUuid, reason);
        session.close(CloseMessage.MSG_VIOLATES_POLICY, reason);
    }

    private void enqueue(Item item) {
        items.add(item);
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false); // shutting down
            }
        }
    }

    // ---- stream threads ------------------------------------------------------------------

    /** Items one run delivers before giving the thread back, so a busy agent cannot hold a stream thread. */
    private static final int ITEMS_PER_RUN = 32;
    /**
     * Chunk bytes waiting beyond which no new transfer is opened (refused with stream_abort); open transfers
     * stay bounded by their own credit, so a lane holds at most this plus MAX_TRANSFERS windows.
     */
    private static final long MAX_QUEUED_CHUNK_BYTES = (long) AgentStreamRouter.MAX_TRANSFERS * AgentStreamRouter.TRANSFER_WINDOW;

    private void drain() {
        try {
            Item item;
            for (int delivered = 0; delivered < ITEMS_PER_RUN && (item = items.poll()) != null; delivered++) {
                deliver(item);
            }
        } finally {
            scheduled.set(false);
        }
        if (!items.isEmpty() && scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void deliver(Item item) {
        if (item instanceof Live live) {
            byte[] frame;
            synchronized (this) {
                frame = newestLive.remove(live.stream());
                if (frame != null) {
                    liveBytes -= frame.length;
                }
            }
            AgentStreamReceiver receiver = router.receiverOf(live.stream());
            if (frame == null || receiver == null) {
                return;
            }
            router.liveFrames.incrementAndGet();
            try {
                receiver.onLiveFrame(clientUuid, live.stream(), frame);
            } catch (Exception | LinkageError e) {
                long now = System.currentTimeMillis();
                if (now - lastReceiverWarning >= 10_000) {
                    lastReceiverWarning = now;
                    LOG.warn("The receiver of stream {} failed on a frame of client {}", live.stream(), clientUuid, e);
                }
            }
        } else if (item instanceof Chunk chunk) {
            synchronized (this) {
                queuedChunkBytes -= chunk.bytes().length;
            }
            InTransfer t = chunk.transfer();
            if (t.over) {
                return;
            }
            try {
                t.receiver.onTransferChunk(t.transfer, chunk.bytes());
            } catch (Exception | LinkageError e) {
                failed(t, e);
                return;
            }
            router.transferBytes.addAndGet(chunk.bytes().length);
            credit(t, chunk.bytes().length);
        } else if (item instanceof End end) {
            InTransfer t = end.transfer();
            if (t.over) {
                return;
            }
            t.over = true;
            try {
                t.receiver.onTransferEnd(t.transfer);
                router.transfersCompleted.incrementAndGet();
            } catch (Exception | LinkageError e) {
                LOG.warn("The receiver of stream {} failed at the end of transfer {} of client {}",
                        t.transfer.stream(), t.transfer.id(), clientUuid, e);
            }
        } else if (item instanceof Abort abort) {
            abort(abort.transfer(), abort.reason(), abort.tellAgent());
        }
    }

    private void credit(InTransfer t, int bytes) {
        long grant = 0;
        synchronized (this) {
            t.unacknowledged -= bytes;
            t.toCredit += bytes;
            if (t.toCredit >= AgentStreamRouter.CREDIT_STEP && transfers.get(t.transfer.id()) == t) {
                grant = t.toCredit;
                t.toCredit = 0;
            }
        }
        if (grant > 0) {
            AgentStreamRouter.sendJson(session, Map.of("type", "stream_credit", "stream", t.transfer.stream(),
                    "transfer_id", t.transfer.id(), "bytes", grant));
        }
    }

    private void failed(InTransfer t, Throwable error) {
        LOG.warn("The receiver of stream {} refused transfer {} of client {}", t.transfer.stream(), t.transfer.id(),
                clientUuid, error);
        synchronized (this) {
            transfers.remove(t.transfer.id(), t);
            rememberRefused(t.transfer.id());
        }
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        abort(t, "The server refused the transfer: " + message, true);
    }

    private void abort(InTransfer t, String reason, boolean tellAgent) {
        if (t.over) {
            return;
        }
        t.over = true;
        router.transfersAborted.incrementAndGet();
        if (tellAgent) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("type", "stream_abort");
            message.put("stream", t.transfer.stream());
            message.put("transfer_id", t.transfer.id());
            message.put("reason", reason);
            AgentStreamRouter.sendJson(session, message);
        }
        try {
            t.receiver.onTransferAbort(t.transfer, reason);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("The receiver of stream {} failed on the abort of transfer {}", t.transfer.stream(), t.transfer.id(), e);
        }
    }
}
