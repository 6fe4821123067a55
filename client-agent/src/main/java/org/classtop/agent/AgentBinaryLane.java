package org.classtop.agent;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.classtop.api.agent.LiveStream;
import org.classtop.api.agent.Transfer;
import org.classtop.api.agent.TransferException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's binary lane to the server (docs/protocol.md), shared by all plugins. It is attached to the
 * connection the server approved; the connection's {@link OutboundQueue} pulls the next frame from
 * {@link #next()} whenever no text frame waits. Live streams keep their newest unsent frame only;
 * transfers are cut into chunks of {@value #CHUNK_BYTES} bytes, and a writer waits for the server's
 * {@code stream_credit} once it has {@value #TRANSFER_WINDOW} bytes unacknowledged. Live frames and
 * transfer chunks take turns. A lost connection drops waiting live frames and aborts open transfers.
 *
 * <p>Lock order: an {@link OutboundQueue} may call {@link #next()} while holding its own lock, so
 * nothing here calls into the connection while holding this object's lock.
 */
final class AgentBinaryLane {
    private static final Logger LOG = LoggerFactory.getLogger(AgentBinaryLane.class);
    /** The server's initial credit per transfer (AgentStreamRouter.TRANSFER_WINDOW). */
    static final int TRANSFER_WINDOW = 1 << 20;
    static final int CHUNK_BYTES = 64 * 1024;

    // Guarded by this.
    private AgentConnection connection;
    private final ArrayDeque<Live> liveReady = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> transferFrames = new ArrayDeque<>();
    private final Map<Long, OutTransfer> transfers = new HashMap<>();
    private long nextTransferId = 1;
    private boolean liveTurn;

    // ---- connection side ------------------------------------------------------------------

    /** The server approved {@code approved}: the lane uses it until it closes. */
    void attach(AgentConnection approved) {
        AgentConnection previous;
        synchronized (this) {
            previous = connection;
            if (previous == approved) {
                return;
            }
            connection = approved;
        }
        if (previous != null) {
            lost(previous);
        }
        approved.closed().whenComplete((closure, error) -> lost(approved));
        approved.attachBinary(this::next);
    }

    /** The next binary frame to send, or null; called by the connection's queue (must not block). */
    synchronized ByteBuffer next() {
        liveTurn = !liveTurn;
        ByteBuffer frame = liveTurn ? nextLive() : null;
        if (frame == null) {
            frame = transferFrames.poll();
        }
        if (frame == null && !liveTurn) {
            frame = nextLive();
        }
        return frame;
    }

    private ByteBuffer nextLive() {
        Live stream;
        while ((stream = liveReady.poll()) != null) {
            byte[] frame = stream.waiting;
            stream.waiting = null;
            if (frame != null) {
                stream.sent++;
                return LaneFrames.live(stream.wireName, frame);
            }
        }
        return null;
    }

    /** {@code stream_credit} from the server. */
    void credit(long transferId, long bytes) {
        synchronized (this) {
            OutTransfer transfer = transfers.get(transferId);
            if (transfer != null && bytes > 0) {
                transfer.credit = Math.min(transfer.credit + bytes, TRANSFER_WINDOW);
                notifyAll();
            }
        }
    }

    /** {@code stream_abort} from the server: the transfer's writer gets the reason. */
    void abortedByServer(long transferId, String reason) {
        synchronized (this) {
            OutTransfer transfer = transfers.remove(transferId);
            if (transfer != null) {
                transfer.failure = reason == null || reason.isBlank() ? "The server aborted the transfer." : reason;
                notifyAll();
            }
        }
    }

    private void lost(AgentConnection closed) {
        synchronized (this) {
            if (connection != closed) {
                return;
            }
            connection = null;
            Live stream;
            while ((stream = liveReady.poll()) != null) {
                if (stream.waiting != null) {
                    stream.waiting = null;
                    stream.dropped++;
                }
            }
            transferFrames.clear();
            for (OutTransfer transfer : List.copyOf(transfers.values())) {
                transfer.failure = "The connection to the server was lost; the transfer was aborted.";
            }
            transfers.clear();
            notifyAll();
        }
        LOG.debug("The binary lane lost its connection");
    }

    private void wake() {
        AgentConnection current;
        synchronized (this) {
            current = connection;
        }
        if (current != null) {
            current.binaryReady();
        }
    }

    // ---- plugin side ----------------------------------------------------------------------

    LiveStream openLive(String pluginId, String name) {
        return new Live(pluginId + "." + name, LaneFrames.streamName(pluginId, name));
    }

    Transfer openTransfer(String pluginId, String name) throws TransferException {
        byte[] wireName = LaneFrames.streamName(pluginId, name);
        synchronized (this) {
            if (connection == null) {
                throw new TransferException("The agent is not connected to the server (or not approved yet).");
            }
            OutTransfer transfer = new OutTransfer(pluginId + "." + name, wireName, nextTransferId++, connection);
            transfers.put(transfer.id, transfer);
            return transfer;
        }
    }

    /** Whether a stream or transfer of this lane is closed, finished or aborted. */
    static boolean isDone(AutoCloseable stream) {
        if (stream instanceof Live live) {
            synchronized (live.lane()) {
                return live.closed;
            }
        }
        if (stream instanceof OutTransfer transfer) {
            synchronized (transfer.lane()) {
                return !transfer.usable();
            }
        }
        return false;
    }

    /** A live stream: its newest unsent frame waits in {@code waiting}. */
    final class Live implements LiveStream {
        private final String name;
        private final byte[] wireName;
        // Guarded by the lane.
        private byte[] waiting;
        private long sent;
        private long dropped;
        private boolean closed;

        Live(String name, byte[] wireName) {
            this.name = name;
            this.wireName = wireName;
        }

        @Override
        public String name() {
            return name;
        }

        private AgentBinaryLane lane() {
            return AgentBinaryLane.this;
        }

        @Override
        public boolean offer(byte[] frame) {
            synchronized (AgentBinaryLane.this) {
                if (closed || connection == null || frame == null || frame.length > MAX_FRAME_BYTES) {
                    dropped++;
                    return false;
                }
                if (waiting != null) {
                    dropped++;
                } else {
                    liveReady.add(this);
                }
                waiting = frame;
            }
            wake();
            return true;
        }

        @Override
        public long dropped() {
            synchronized (AgentBinaryLane.this) {
                return dropped;
            }
        }

        @Override
        public long sent() {
            synchronized (AgentBinaryLane.this) {
                return sent;
            }
        }

        @Override
        public void close() {
            synchronized (AgentBinaryLane.this) {
                closed = true;
                if (waiting != null) {
                    waiting = null;
                    dropped++;
                }
            }
        }
    }

    /** A transfer: writers wait on the lane for credit. */
    final class OutTransfer implements Transfer {
        private final String name;
        private final byte[] wireName;
        private final long id;
        private final AgentConnection boundTo;
        // Guarded by the lane.
        private long credit = TRANSFER_WINDOW;
        private String failure;
        private boolean over;
        private long written;

        OutTransfer(String name, byte[] wireName, long id, AgentConnection boundTo) {
            this.name = name;
            this.wireName = wireName;
            this.id = id;
            this.boundTo = boundTo;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void write(byte[] bytes, Duration timeout) throws TransferException, InterruptedException {
            try {
                writeChunks(bytes, timeout);
            } catch (TransferException | InterruptedException e) {
                wake(); // an abort frame may be waiting
                throw e;
            }
        }

        private void writeChunks(byte[] bytes, Duration timeout) throws TransferException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            int offset = 0;
            while (offset < bytes.length) {
                int length = Math.min(CHUNK_BYTES, bytes.length - offset);
                synchronized (AgentBinaryLane.this) {
                    while (usable() && credit < length) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            fail("No credit from the server within " + timeout.toMillis() + " ms; the transfer was aborted.");
                            break;
                        }
                        try {
                            AgentBinaryLane.this.wait(Math.max(1, left / 1_000_000));
                        } catch (InterruptedException e) {
                            fail("The writing thread was interrupted; the transfer was aborted.");
                            throw e;
                        }
                    }
                    if (!usable()) {
                        throw new TransferException(failure != null ? failure : "The transfer is already finished.");
                    }
                    credit -= length;
                    written += length;
                    transferFrames.add(LaneFrames.transfer(LaneFrames.CHUNK, wireName, id, bytes, offset, length));
                }
                offset += length;
                wake();
            }
        }

        private AgentBinaryLane lane() {
            return AgentBinaryLane.this;
        }

        private boolean usable() {
            return failure == null && !over;
        }

        /** Under the lane's lock: aborts and tells the server. */
        private void fail(String reason) {
            if (!usable()) {
                return;
            }
            failure = reason;
            transfers.remove(id);
            if (connection == boundTo) {
                byte[] sentence = reason.getBytes(StandardCharsets.UTF_8);
                transferFrames.add(LaneFrames.transfer(LaneFrames.ABORT, wireName, id, sentence, 0,
                        Math.min(200, sentence.length)));
            }
        }

        @Override
        public void finish() throws TransferException {
            synchronized (AgentBinaryLane.this) {
                if (!usable()) {
                    throw new TransferException(failure != null ? failure : "The transfer is already finished.");
                }
                over = true;
                transfers.remove(id);
                transferFrames.add(LaneFrames.transfer(LaneFrames.END, wireName, id, new byte[0], 0, 0));
            }
            wake();
        }

        @Override
        public void abort(String reason) {
            synchronized (AgentBinaryLane.this) {
                fail(reason == null || reason.isBlank() ? "The agent aborted the transfer." : reason);
            }
            wake();
        }

        @Override
        public long bytesWritten() {
            synchronized (AgentBinaryLane.this) {
                return written;
            }
        }

        @Override
        public void close() {
            boolean open;
            synchronized (AgentBinaryLane.this) {
                open = usable();
            }
            if (open) {
                abort("The agent closed the transfer before finishing it.");
            }
        }
    }
}
