package org.classtop.core.hub;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * The server side of one agent's WebSocket (RFC 6455) on the connection Undertow upgraded: frames are read and written
 * straight on the socket by its I/O thread.
 *
 * <p>Why not Undertow's WebSocket channel: it makes a frame channel, a pooled buffer and queue entries for every frame
 * in and out, which was half of the server's CPU for 10,000 agents that only send heartbeats (docs/performance.md,
 * "Agent sockets without Undertow's WebSocket channel"). Here a frame that arrived whole is unmasked into one array and
 * decoded once; an answer is one {@code write} of header and payload from a per-thread direct buffer.
 *
 * <p>What a peer can cost: a message is buffered only up to {@link Receiver#maxMessageBytes} (asked when it begins; a
 * longer one is discarded unread and reported once), a control frame up to 125 bytes, a frame header 14 bytes; one
 * read event reads at most {@link #READS_PER_EVENT} buffers, so a flooding peer cannot hold its I/O thread. At most one
 * pong waits unsent (a newer ping replaces the answer to an older one). Protocol violations (an unmasked frame,
 * reserved bits or opcodes, a control frame over 125 bytes or fragmented, a continuation out of place) close with
 * 1002, text that is not UTF-8 with 1007.
 *
 * <p>Threads: everything runs on the connection's I/O thread except {@link #ioThread}, {@link #isOpen},
 * {@link #whenClosed} and {@link #peer}.
 */
final class AgentSocket {
    private static final Logger LOG = LoggerFactory.getLogger(AgentSocket.class);

    /** What the socket hands on, on its I/O thread. */
    interface Receiver {
        /** The longest message accepted now, in bytes; asked when a message's first frame arrives. */
        int maxMessageBytes(boolean binary);

        void onText(String text);

        void onBinary(byte[] bytes);

        /** A message is longer than {@code limit}: it is discarded; the receiver says so to the peer (1009). */
        void onTooBig(boolean binary, int limit);
    }

    /** Told once whether a frame was written whole ({@code true}) or will never be. */
    interface Written {
        void done(boolean written);
    }

    static final int OP_CONTINUATION = 0;
    static final int OP_TEXT = 1;
    static final int OP_BINARY = 2;
    static final int OP_CLOSE = 8;
    static final int OP_PING = 9;
    static final int OP_PONG = 10;
    static final int PROTOCOL_ERROR = 1002;
    static final int INVALID_PAYLOAD = 1007;

    /** Buffers read per read event at most before the I/O thread serves its other sockets. */
    static final int READS_PER_EVENT = 4;
    /** How long a socket closing for a protocol error or the peer's close waits for its close frame to be written. */
    static final long CLOSE_WRITE_GRACE_SECONDS = 2;
    /** The per-I/O-thread buffers: one read and one write each. */
    private static final int THREAD_BUFFER_BYTES = 16 * 1024;
    private static final ThreadLocal<ByteBuffer> READ_BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(THREAD_BUFFER_BYTES));
    private static final ThreadLocal<ByteBuffer> WRITE_BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(THREAD_BUFFER_BYTES));
    private static final Written IGNORED = written -> { };

    private enum Sink { DATA, CONTROL, DISCARD }

    private final StreamConnection connection;
    private final ConduitStreamSourceChannel source;
    private final ConduitStreamSinkChannel sink;
    /** Set when reading starts. */
    private Receiver receiver;
    private final List<Runnable> closeTasks = new CopyOnWriteArrayList<>();

    // Reading (I/O thread only).
    private final byte[] head = new byte[14];
    private int headLength;
    /** Payload bytes of the current frame not read yet; -1 while a header is read. */
    private long payloadLeft = -1;
    private boolean frameFinal;
    private int frameOpcode;
    private int mask;
    private int maskOffset;
    private Sink frameSink;
    /** The opcode of the message whose frames are arriving (text or binary), 0 between messages. */
    private int messageOpcode;
    private byte[] message;
    private int messageLength;
    private int messageLimit;
    /** The current message passed its limit: its further frames are discarded. */
    private boolean messageDiscarded;
    private byte[] control;
    private int controlLength;

    // Writing (I/O thread only).
    /** Frames not written whole yet, in order; null while nothing waits. */
    private ArrayDeque<Pending> pending;
    /** The one pong waiting in {@link #pending}, so that a newer ping replaces its answer. */
    private Pending pendingPong;
    private boolean closeSent;
    /** Reading stopped for good (a protocol error): what still arrives is not looked at. */
    private boolean readingStopped;

    private static final class Pending {
        ByteBuffer bytes;
        final Written written;

        Pending(ByteBuffer bytes, Written written) {
            this.bytes = bytes;
            this.written = written;
        }
    }

    AgentSocket(StreamConnection connection) {
        this.connection = connection;
        this.source = connection.getSourceChannel();
        this.sink = connection.getSinkChannel();
        // Undertow's own close listener (its HTTP connection's bookkeeping) still runs, after ours.
        ChannelListener<? super StreamConnection> undertows = connection.getCloseListener();
        connection.setCloseListener(closed -> {
            for (Runnable task : closeTasks) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("A close task of an agent socket failed", e);
                }
            }
            ChannelListeners.invokeChannelListener(closed, undertows);
        });
        sink.getWriteSetter().set(channel -> writePending());
        source.getReadSetter().set(channel -> readable());
    }

    /** Starts reading frames, handing them to {@code receiver}. */
    void resumeReads(Receiver receiver) {
        this.receiver = receiver;
        source.resumeReads();
    }

    XnioIoThread ioThread() {
        return connection.getIoThread();
    }

    boolean isOpen() {
        return connection.isOpen();
    }

    InetSocketAddress peer() {
        return connection.getPeerAddress(InetSocketAddress.class);
    }

    /** Runs {@code task} once the socket has closed (at once if it already has). */
    void whenClosed(Runnable task) {
        closeTasks.add(task);
        if (!connection.isOpen() && closeTasks.remove(task)) {
            task.run();
        }
    }

    /** Drops the socket without a close frame. */
    void close() {
        IoUtils.safeClose(connection);
    }

    // ---- writing ------------------------------------------------------------------------------------------------

    /** Writes one text frame (after those still waiting); {@code written} is told once. */
    void sendText(byte[] payload, Written written) {
        if (closeSent || !connection.isOpen()) {
            written.done(false);
            return;
        }
        write(OP_TEXT, payload, payload.length, written);
    }

    /**
     * Writes a close frame ({@code reason} cut to fit 123 bytes) and then nothing more; {@code written} is told
     * once it is written (or never will be). A second close is ignored.
     */
    void sendClose(int code, String reason, Written written) {
        if (closeSent || !connection.isOpen()) {
            written.done(false);
            return;
        }
        closeSent = true;
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, 123);
        byte[] payload = new byte[2 + length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, length);
        write(OP_CLOSE, payload, payload.length, written);
    }

    private void write(int opcode, byte[] payload, int length, Written written) {
        int headerLength = length < 126 ? 2 : length <= 0xffff ? 4 : 10;
        if (pending == null && headerLength + length <= THREAD_BUFFER_BYTES) {
            // The usual case: header and payload in one write from this thread's direct buffer.
            ByteBuffer frame = WRITE_BUFFER.get();
            frame.clear();
            putHeader(frame, opcode, length);
            frame.put(payload, 0, length).flip();
            try {
                sink.write(frame);
            } catch (IOException e) {
                failed(written, e);
                return;
            }
            if (!frame.hasRemaining()) {
                written.done(true);
                return;
            }
            ByteBuffer rest = ByteBuffer.allocate(frame.remaining());
            rest.put(frame).flip();
            queue(opcode, rest, written);
            return;
        }
        ByteBuffer frame = ByteBuffer.allocate(headerLength + length);
        putHeader(frame, opcode, length);
        frame.put(payload, 0, length).flip();
        queue(opcode, frame, written);
        if (pending.size() == 1) {
            writePending();
        }
    }

    private static void putHeader(ByteBuffer frame, int opcode, int length) {
        frame.put((byte) (0x80 | opcode));
        if (length < 126) {
            frame.put((byte) length);
        } else if (length <= 0xffff) {
            frame.put((byte) 126).putShort((short) length);
        } else {
            frame.put((byte) 127).putLong(length);
        }
    }

    private void queue(int opcode, ByteBuffer bytes, Written written) {
        if (pending == null) {
            pending = new ArrayDeque<>(4);
        }
        Pending entry = new Pending(bytes, written);
        if (opcode == OP_PONG) {
            pendingPong = entry;
        }
        pending.add(entry);
        sink.resumeWrites();
    }

    /** Writes what waits, as far as the socket takes it. */
    private void writePending() {
        while (pending != null && !pending.isEmpty()) {
            Pending next = pending.peek();
            try {
                sink.write(next.bytes);
            } catch (IOException e) {
                failed(next.written, e);
                return;
            }
            if (next.bytes.hasRemaining()) {
                sink.resumeWrites();
                return;
            }
            pending.poll();
            if (next == pendingPong) {
                pendingPong = null;
            }
            next.written.done(true);
        }
        pending = null;
        sink.suspendWrites();
    }

    private void failed(Written written, IOException e) {
        LOG.debug("Write to agent socket {} failed: {}", peer(), e.toString());
        written.done(false);
        close();
        if (pending != null) {
            Pending rest;
            while ((rest = pending.poll()) != null) {
                if (rest.written != written) {
                    rest.written.done(false);
                }
            }
            pending = null;
        }
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    private void readable() {
        ByteBuffer in = READ_BUFFER.get();
        try {
            for (int reads = 0; reads < READS_PER_EVENT; reads++) {
                in.clear();
                int read = source.read(in);
                if (read < 0) {
                    close();
                    return;
                }
                if (read == 0) {
                    return;
                }
                boolean drained = in.hasRemaining(); // the socket had less than the buffer: no second read to learn it
                if (!readingStopped) {
                    in.flip();
                    consume(in);
                    if (!connection.isOpen()) {
                        return;
                    }
                }
                if (drained) {
                    return; // if more arrived meanwhile, the selector reports the socket again
                }
            }
        } catch (IOException e) {
            LOG.debug("Read from agent socket {} failed: {}", peer(), e.toString());
            close();
        }
    }

    private void consume(ByteBuffer in) {
        while (in.hasRemaining() && !readingStopped) {
            if (payloadLeft < 0) {
                if (!readHeader(in)) {
                    return;
                }
                if (payloadLeft > 0) {
                    continue;
                }
            } else {
                int n = (int) Math.min(payloadLeft, in.remaining());
                readPayload(in, n);
                payloadLeft -= n;
                if (payloadLeft > 0) {
                    continue;
                }
            }
            if (!readingStopped) {
                payloadLeft = -1;
                frameEnded();
            }
        }
    }

    /** Reads header bytes; true once a whole header is read and checked. */
    private boolean readHeader(ByteBuffer in) {
        while (headLength < 2 && in.hasRemaining()) {
            head[headLength++] = in.get();
        }
        if (headLength < 2) {
            return false;
        }
        int length7 = head[1] & 0x7f;
        int needed = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + ((head[1] & 0x80) != 0 ? 4 : 0);
        while (headLength < needed && in.hasRemaining()) {
            head[headLength++] = in.get();
        }
        if (headLength < needed) {
            return false;
        }
        headLength = 0;
        frameFinal = (head[0] & 0x80) != 0;
        frameOpcode = head[0] & 0x0f;
        long length;
        int at = 2;
        if (length7 == 126) {
            length = ((head[2] & 0xff) << 8) | (head[3] & 0xff);
            at = 4;
        } else if (length7 == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (head[i] & 0xff);
            }
            at = 10;
        } else {
            length = length7;
        }
        if ((head[0] & 0x70) != 0) {
            return fail(PROTOCOL_ERROR, "Reserved bits are set: no extension was agreed.");
        }
        if ((head[1] & 0x80) == 0) {
            return fail(PROTOCOL_ERROR, "A client's frames must be masked.");
        }
        if (length < 0) {
            return fail(PROTOCOL_ERROR, "The frame length is not valid.");
        }
        mask = ((head[at] & 0xff) << 24) | ((head[at + 1] & 0xff) << 16) | ((head[at + 2] & 0xff) << 8) | (head[at + 3] & 0xff);
        maskOffset = 0;
        payloadLeft = length;
        switch (frameOpcode) {
            case OP_CLOSE, OP_PING, OP_PONG -> {
                if (!frameFinal || length > 125) {
                    return fail(PROTOCOL_ERROR, "A control frame must be one frame of at most 125 bytes.");
                }
                if (control == null) {
                    control = new byte[125];
                }
                controlLength = 0;
                frameSink = Sink.CONTROL;
            }
            case OP_TEXT, OP_BINARY -> {
                if (messageOpcode != 0) {
                    return fail(PROTOCOL_ERROR, "A new message began before the last one ended.");
                }
                messageOpcode = frameOpcode;
                messageLength = 0;
                messageDiscarded = false;
                messageLimit = closeSent ? 0 : receiver.maxMessageBytes(frameOpcode == OP_BINARY);
                startData(length);
            }
            case OP_CONTINUATION -> {
                if (messageOpcode == 0) {
                    return fail(PROTOCOL_ERROR, "A continuation frame came without a message to continue.");
                }
                startData(length);
            }
            default -> {
                return fail(PROTOCOL_ERROR, "Unknown opcode " + frameOpcode + ".");
            }
        }
        return !readingStopped;
    }

    private void startData(long length) {
        if (closeSent || messageDiscarded) {
            frameSink = Sink.DISCARD;
            return;
        }
        if (length > messageLimit - messageLength) {
            frameSink = Sink.DISCARD;
            messageDiscarded = true;
            message = null;
            receiver.onTooBig(messageOpcode == OP_BINARY, messageLimit);
            return;
        }
        int needed = messageLength + (int) length;
        if (message == null) {
            // A whole message in one frame gets exactly its size; a fragmented one grows as its frames come.
            message = new byte[frameFinal ? needed : Math.max(needed, 256)];
        } else if (message.length < needed) {
            message = Arrays.copyOf(message, (int) Math.min(messageLimit, Math.max(needed, 2L * message.length)));
        }
        frameSink = Sink.DATA;
    }

    private void readPayload(ByteBuffer in, int n) {
        switch (frameSink) {
            case DISCARD -> in.position(in.position() + n);
            case DATA -> {
                in.get(message, messageLength, n);
                unmask(message, messageLength, n);
                messageLength += n;
            }
            case CONTROL -> {
                in.get(control, controlLength, n);
                unmask(control, controlLength, n);
                controlLength += n;
            }
        }
    }

    private void unmask(byte[] bytes, int from, int n) {
        int offset = maskOffset;
        for (int i = from, end = from + n; i < end; i++) {
            bytes[i] ^= (byte) (mask >>> (24 - 8 * (offset & 3)));
            offset++;
        }
        maskOffset = offset & 3;
    }

    private void frameEnded() {
        switch (frameSink) {
            case CONTROL -> controlFrame();
            case DATA, DISCARD -> {
                if (!frameFinal) {
                    return;
                }
                int opcode = messageOpcode;
                byte[] bytes = message;
                int length = messageLength;
                boolean discarded = frameSink == Sink.DISCARD;
                messageOpcode = 0;
                message = null;
                messageLength = 0;
                if (!discarded) {
                    deliver(opcode, bytes, length);
                }
            }
        }
    }

    private void deliver(int opcode, byte[] bytes, int length) {
        if (opcode == OP_BINARY) {
            receiver.onBinary(bytes.length == length ? bytes : Arrays.copyOf(bytes, length));
            return;
        }
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0 && !isUtf8(bytes, length)) {
            fail(INVALID_PAYLOAD, "A text message was not valid UTF-8.");
            return;
        }
        receiver.onText(text);
    }

    private static boolean isUtf8(byte[] bytes, int length) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private void controlFrame() {
        switch (frameOpcode) {
            case OP_PING -> {
                if (closeSent) {
                    return;
                }
                byte[] payload = Arrays.copyOf(control, controlLength);
                if (pendingPong != null && pendingPong.bytes.position() == 0) {
                    // Only the newest ping needs its pong (RFC 6455 section 5.5.3): the waiting one is answered instead.
                    pendingPong.bytes = ByteBuffer.allocate(2 + payload.length);
                    putHeader(pendingPong.bytes, OP_PONG, payload.length);
                    pendingPong.bytes.put(payload).flip();
                    return;
                }
                write(OP_PONG, payload, payload.length, IGNORED);
            }
            case OP_PONG -> {
                // Nothing asked for it; allowed as a one-way heartbeat.
            }
            case OP_CLOSE -> {
                if (closeSent) {
                    close(); // the answer to our close: the handshake is complete
                    return;
                }
                int code = controlLength >= 2 ? ((control[0] & 0xff) << 8) | (control[1] & 0xff) : 1000;
                if (controlLength == 1 || !validCloseCode(code)) {
                    fail(PROTOCOL_ERROR, "The close frame's code is not valid.");
                    return;
                }
                readingStopped = true;
                closeAfter(code, "");
            }
            default -> throw new IllegalStateException("not a control opcode: " + frameOpcode);
        }
    }

    private static boolean validCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    /** Closes with {@code code} for a peer that broke the protocol: nothing more is read. Always false. */
    private boolean fail(int code, String reason) {
        LOG.debug("Closing agent socket {} ({}): {}", peer(), code, reason);
        readingStopped = true;
        payloadLeft = -1;
        message = null;
        if (closeSent) {
            close();
        } else {
            closeAfter(code, reason);
        }
        return false;
    }

    /**
     * Sends a close frame and drops the socket once it is written, or after {@link #CLOSE_WRITE_GRACE_SECONDS} if the
     * peer does not read it (a peer that stops reading cannot keep the socket).
     */
    private void closeAfter(int code, String reason) {
        sendClose(code, reason, written -> close());
        if (connection.isOpen()) {
            try {
                ioThread().executeAfter(this::close, CLOSE_WRITE_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (RejectedExecutionException stopping) {
                close();
            }
        }
    }
}
