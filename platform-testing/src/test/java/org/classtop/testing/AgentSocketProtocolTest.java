package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent socket's WebSocket framing (RFC 6455) as a peer sees it, on the real server: what a well-behaved client
 * may do (fragments, control frames between them, a frame in pieces, ping, close) works, and each kind of broken
 * or hostile frame gets its close code, while the server goes on serving the others.
 */
class AgentSocketProtocolTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension();
    private static int clients;

    private static RawWebSocket connect() {
        return RawWebSocket.connect(SERVER.get().wsUrl("proto-" + (++clients)), "127.0.0.1");
    }

    private static String register(int client) {
        return "{\"type\":\"register\",\"client_uuid\":\"proto-" + client + "\",\"name\":\"Room\",\"client_type\":\"client\",\"protocol\":1}";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A client may split a message into frames and put control frames between them (RFC 6455 section 5.4). */
    @Test
    void aFragmentedRegisterWithAPingBetweenItsFramesIsAnswered() {
        try (RawWebSocket ws = connect()) {
            byte[] register = utf8(register(clients));
            ws.sendFrame(0x01, Arrays.copyOfRange(register, 0, 10));
            ws.sendFrame(0x89, utf8("are you there"));
            ws.sendFrame(0x00, Arrays.copyOfRange(register, 10, 40));
            ws.sendFrame(0x80, Arrays.copyOfRange(register, 40, register.length));
            RawWebSocket.Frame pong = ws.read(WAIT);
            assertNotNull(pong);
            assertEquals(0x0A, pong.opcode(), "a ping gets a pong");
            assertEquals("are you there", pong.text(), "with the ping's payload");
            assertEquals("approved", ws.await("registered", WAIT).path("status").asText());
        }
    }

    /** A client that sends its register frame with the handshake, before the upgrade's answer, is read all the same. */
    @Test
    void aFrameSentWithTheHandshakeIsRead() {
        int client = ++clients;
        byte[] register = RawWebSocket.frame(0x81, utf8(register(client)), true);
        try (RawWebSocket ws = RawWebSocket.connect(SERVER.get().wsUrl("proto-" + client), "127.0.0.1", register)) {
            assertEquals("approved", ws.await("registered", WAIT).path("status").asText());
        }
    }

    /** TCP may deliver a frame in pieces: one byte at a time still makes one message. */
    @Test
    void aHeartbeatArrivingOneByteAtATimeIsAnswered() throws Exception {
        try (RawWebSocket ws = connect()) {
            ws.sendText(register(clients));
            assertNotNull(ws.await("registered", WAIT));
            byte[] frame = RawWebSocket.frame(0x81, utf8("{\"type\":\"heartbeat\",\"timestamp\":1234.5}"), true);
            for (byte b : frame) {
                ws.sendRaw(new byte[] {b});
                Thread.sleep(2);
            }
            JsonNode ack = ws.await("heartbeat_ack", WAIT);
            assertNotNull(ack);
            assertEquals(1234.5, ack.path("timestamp").asDouble());
        }
    }

    @Test
    void twoMessagesInOneWriteAreBothAnswered() {
        try (RawWebSocket ws = connect()) {
            ws.sendText(register(clients));
            assertNotNull(ws.await("registered", WAIT));
            byte[] first = RawWebSocket.frame(0x81, utf8("{\"type\":\"heartbeat\",\"timestamp\":1}"), true);
            byte[] second = RawWebSocket.frame(0x81, utf8("{\"type\":\"heartbeat\",\"timestamp\":2}"), true);
            byte[] both = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, both, first.length, second.length);
            ws.sendRaw(both);
            assertEquals(1, ws.await("heartbeat_ack", WAIT).path("timestamp").asInt());
            assertEquals(2, ws.await("heartbeat_ack", WAIT).path("timestamp").asInt());
        }
    }

    /** A client's close frame is answered with the same code, then the server closes the socket. */
    @Test
    void aCloseFrameIsEchoedAndTheSocketEnds() {
        try (RawWebSocket ws = connect()) {
            ws.sendText(register(clients));
            assertNotNull(ws.await("registered", WAIT));
            ws.sendFrame(0x88, new byte[] {0x03, (byte) 0xE8, 'b', 'y', 'e'});
            RawWebSocket.Frame close = ws.awaitClose(WAIT);
            assertNotNull(close);
            assertEquals(1000, close.closeCode());
            assertNull(ws.read(WAIT), "the socket ends after the close handshake");
        }
    }

    @Test
    void anUnmaskedFrameClosesWith1002() {
        assertClosedWith(1002, RawWebSocket.frame(0x81, utf8(register(clients + 1)), false));
    }

    @Test
    void reservedBitsCloseWith1002() {
        assertClosedWith(1002, RawWebSocket.frame(0xC1, utf8(register(clients + 1)), true));
    }

    @Test
    void anUnknownOpcodeClosesWith1002() {
        assertClosedWith(1002, RawWebSocket.frame(0x83, utf8("x"), true));
    }

    @Test
    void aContinuationWithoutAMessageClosesWith1002() {
        assertClosedWith(1002, RawWebSocket.frame(0x80, utf8("x"), true));
    }

    @Test
    void aControlFrameOver125BytesClosesWith1002() {
        assertClosedWith(1002, RawWebSocket.frame(0x89, new byte[126], true));
    }

    @Test
    void aFragmentedControlFrameClosesWith1002() {
        assertClosedWith(1002, RawWebSocket.frame(0x09, utf8("x"), true));
    }

    @Test
    void textThatIsNotUtf8ClosesWith1007() {
        assertClosedWith(1007, RawWebSocket.frame(0x81, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, true));
    }

    /** A header that claims 2^62 bytes costs nothing: the server refuses at the header, before any payload. */
    @Test
    void aHeaderClaimingAnEnormousFrameClosesWith1009() {
        byte[] header = new byte[14];
        header[0] = (byte) 0x82;
        header[1] = (byte) (0x80 | 127);
        header[2] = 0x40; // 2^62
        assertClosedWith(1009, header);
    }

    /** Many small fragments add up: the message's limit counts them all (64 KiB before approval). */
    @Test
    void fragmentsAddingUpPastTheLimitCloseWith1009() {
        try (RawWebSocket ws = connect()) {
            byte[] piece = new byte[8 * 1024];
            Arrays.fill(piece, (byte) 'x');
            ws.sendFrame(0x01, piece);
            for (int i = 0; i < 8; i++) {
                ws.sendFrame(0x00, piece);
            }
            RawWebSocket.Frame close = ws.awaitClose(WAIT);
            assertNotNull(close);
            assertEquals(1009, close.closeCode());
        }
        assertServerStillServes();
    }

    /** A message just under the limit, in fragments, arrives whole. */
    @Test
    void aLargeFragmentedMessageWithinTheLimitArrivesWhole() {
        try (RawWebSocket ws = connect()) {
            String pad = "y".repeat(60_000);
            byte[] message = utf8("{\"type\":\"register\",\"client_uuid\":\"proto-" + clients
                    + "\",\"name\":\"Room\",\"client_type\":\"client\",\"protocol\":1,\"pad\":\"" + pad + "\"}");
            int at = 0;
            boolean first = true;
            while (at < message.length) {
                int end = Math.min(message.length, at + 7_000);
                boolean last = end == message.length;
                ws.sendFrame((last ? 0x80 : 0) | (first ? 0x01 : 0x00), Arrays.copyOfRange(message, at, end));
                first = false;
                at = end;
            }
            assertEquals("approved", ws.await("registered", WAIT).path("status").asText());
        }
    }

    private static void assertClosedWith(int code, byte[] bytes) {
        try (RawWebSocket ws = connect()) {
            ws.sendRaw(bytes);
            RawWebSocket.Frame close = ws.awaitClose(WAIT);
            assertNotNull(close, "a close frame");
            assertEquals(code, close.closeCode(), "close reason: " + close.text());
            assertTrue(close.text().length() > 0, "a readable reason");
        }
        assertServerStillServes();
    }

    private static void assertServerStillServes() {
        FakeAgent agent = new FakeAgent("proto-check-" + (++clients));
        try {
            agent.register(SERVER.get().wsUrl("proto-check-" + clients), "Room", Map.of());
            assertEquals("approved", agent.await("registered", WAIT).path("status").asText());
            agent.heartbeat();
            assertNotNull(agent.await("heartbeat_ack", WAIT));
        } finally {
            agent.close();
        }
        assertEquals(200, SERVER.get().api().get("/api/clients/proto-check-" + clients).status());
    }

    @Test
    void aPongIsAnsweredWithNothing() {
        try (RawWebSocket ws = connect()) {
            ws.sendFrame(0x8A, utf8("unasked"));
            ws.sendText(register(clients));
            RawWebSocket.Frame next = ws.read(WAIT);
            assertNotNull(next);
            assertEquals(1, next.opcode(), "the first frame back is the answer to register, not to the pong");
            assertTrue(next.text().contains("\"registered\""), next.text());
        }
    }
}
