package org.classtop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Text frames go before waiting binary frames, one send at a time. */
class OutboundQueueTest {
    /** A socket whose sends complete when the test says so. */
    static final class ManualSocket implements WebSocket {
        final List<String> sent = new ArrayList<>();
        final ArrayDeque<CompletableFuture<WebSocket>> inFlight = new ArrayDeque<>();

        private CompletableFuture<WebSocket> record(String what) {
            sent.add(what);
            CompletableFuture<WebSocket> future = new CompletableFuture<>();
            inFlight.add(future);
            return future;
        }

        void completeOne() {
            inFlight.poll().complete(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
            return record("text:" + data);
        }

        @Override
        public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
            return record("binary:" + StandardCharsets.UTF_8.decode(data));
        }

        @Override
        public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
            return record("ping");
        }

        @Override
        public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
            return record("pong");
        }

        @Override
        public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
            return record("close:" + statusCode);
        }

        @Override
        public void request(long n) {
        }

        @Override
        public String getSubprotocol() {
            return "";
        }

        @Override
        public boolean isOutputClosed() {
            return false;
        }

        @Override
        public boolean isInputClosed() {
            return false;
        }

        @Override
        public void abort() {
        }
    }

    @Test
    void aTextFrameOvertakesEveryWaitingBinaryFrame() {
        ManualSocket socket = new ManualSocket();
        OutboundQueue queue = new OutboundQueue(socket, 10, error -> { });
        ArrayDeque<String> binary = new ArrayDeque<>(List.of("chunk-1", "chunk-2", "chunk-3"));
        queue.binarySource(() -> binary.isEmpty() ? null : ByteBuffer.wrap(binary.poll().getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("binary:chunk-1"), socket.sent, "one send at a time");

        queue.sendText("answer");
        queue.sendText("heartbeat");
        assertEquals(1, socket.sent.size(), "nothing overlaps the frame in flight");
        socket.completeOne();
        socket.completeOne();
        socket.completeOne();
        socket.completeOne();
        socket.completeOne();
        assertEquals(List.of("binary:chunk-1", "text:answer", "text:heartbeat", "binary:chunk-2", "binary:chunk-3"),
                socket.sent);
        assertTrue(socket.inFlight.isEmpty());
    }

    @Test
    void closeGoesAfterTheQueuedTextAndDropsWaitingBinaryFrames() {
        ManualSocket socket = new ManualSocket();
        OutboundQueue queue = new OutboundQueue(socket, 10, error -> { });
        queue.sendText("first");
        ArrayDeque<String> binary = new ArrayDeque<>(List.of("chunk-1"));
        queue.binarySource(() -> binary.isEmpty() ? null : ByteBuffer.wrap(binary.poll().getBytes(StandardCharsets.UTF_8)));
        queue.sendText("last words");
        CompletableFuture<Void> closed = queue.sendClose(1000, "bye");
        assertEquals(false, queue.sendText("too late"));
        socket.completeOne();
        socket.completeOne();
        socket.completeOne();
        assertEquals(List.of("text:first", "text:last words", "close:1000"), socket.sent);
        assertTrue(closed.isDone());
    }

    @Test
    void aFailedSendStopsTheQueueAndReportsOnce() {
        ManualSocket socket = new ManualSocket();
        List<Throwable> failures = new ArrayList<>();
        OutboundQueue queue = new OutboundQueue(socket, 10, failures::add);
        queue.sendText("a");
        queue.sendText("b");
        socket.inFlight.poll().completeExceptionally(new java.io.IOException("broken pipe"));
        assertEquals(1, failures.size());
        assertEquals(List.of("text:a"), socket.sent);
        assertEquals(false, queue.sendText("c"));
    }

    @Test
    void beyondItsLimitATextFrameIsDropped() {
        ManualSocket socket = new ManualSocket();
        OutboundQueue queue = new OutboundQueue(socket, 2, error -> { });
        assertTrue(queue.sendText("in flight"));
        assertTrue(queue.sendText("waiting 1"));
        assertTrue(queue.sendText("waiting 2"));
        assertEquals(false, queue.sendText("one too many"));
    }
}
