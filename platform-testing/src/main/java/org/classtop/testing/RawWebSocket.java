package org.classtop.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * A bare WebSocket client on a plain socket, for hostile tests: it can connect from a chosen local
 * address (any of 127.0.0.0/8 on loopback), so a test can be "another machine" than its
 * {@link FakeAgent}s, and it sends exactly the frames a test writes.
 */
public final class RawWebSocket implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A frame from the server; for a close frame, {@code closeCode} and {@code text} (the reason) are set. */
    public record Frame(int opcode, String text, int closeCode) {
        public boolean isClose() {
            return opcode == 8;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code wsUrl} (ws://127.0.0.1:PORT/ws/uuid) from {@code localAddress} and completes the handshake. */
    public static RawWebSocket connect(String wsUrl, String localAddress) {
        return connect(wsUrl, localAddress, new byte[0]);
    }

    /**
     * As {@link #connect(String, String)}, with {@code early} (frames) written in the same write as the handshake
     * request, before the server's answer: what a client that does not wait for the upgrade sends.
     */
    public static RawWebSocket connect(String wsUrl, String localAddress, byte[] early) {
        URI uri = URI.create(wsUrl);
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            socket.setSoTimeout(10_000);
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            String request = "GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            byte[] requestBytes = request.getBytes(StandardCharsets.US_ASCII);
            byte[] all = java.util.Arrays.copyOf(requestBytes, requestBytes.length + early.length);
            System.arraycopy(early, 0, all, requestBytes.length, early.length);
            socket.getOutputStream().write(all);
            RawWebSocket ws = new RawWebSocket(socket);
            String head = ws.readHead();
            if (!head.startsWith("HTTP/1.1 101")) {
                socket.close();
                throw new IllegalStateException("No WebSocket upgrade: " + head.lines().findFirst().orElse(head));
            }
            return ws;
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new UncheckedIOException(e);
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("The server closed during the handshake");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    public void sendJson(Object frame) {
        try {
            sendText(MAPPER.writeValueAsString(frame));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** One masked text frame, as a client must send. */
    public void sendText(String text) {
        sendFrame(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One masked frame with {@code firstByte} as its first byte (FIN, reserved bits and opcode, e.g. 0x81 for a whole
     * text frame, 0x01 for the first of several, 0x80 for the last continuation, 0x89 for a ping).
     */
    public void sendFrame(int firstByte, byte[] payload) {
        sendRaw(frame(firstByte, payload, true));
    }

    /** The bytes of one frame ({@code masked} false makes a frame no client may send). */
    public static byte[] frame(int firstByte, byte[] payload, boolean masked) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.write(maskBit | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(maskBit | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        if (masked) {
            RANDOM.nextBytes(mask);
            frame.writeBytes(mask);
        }
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }

    /** Writes {@code bytes} as they are (a frame, part of one, several). */
    public synchronized void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next frame, or null when none arrives within {@code timeout} or the connection ended. */
    public Frame read(Duration timeout) {
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            int first = in.read();
            if (first < 0) {
                return null;
            }
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = in.readNBytes((int) length);
            int opcode = first & 0x0f;
            if (opcode == 8) {
                int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                return new Frame(opcode, reason, code);
            }
            return new Frame(opcode, new String(payload, StandardCharsets.UTF_8), 0);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads until a text frame of {@code type} arrives; null if the connection closes or time runs out first. */
    public JsonNode await(String type, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Frame frame = read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            if (frame == null || frame.isClose()) {
                return null;
            }
            if (frame.opcode() == 1) {
                try {
                    JsonNode node = MAPPER.readTree(frame.text());
                    if (type.equals(node.path("type").asText())) {
                        return node;
                    }
                } catch (IOException ignored) {
                    // not JSON: keep reading
                }
            }
        }
        return null;
    }

    /** Reads until the server's close frame; null if none arrives within {@code timeout}. */
    public Frame awaitClose(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Frame frame = read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            if (frame == null) {
                return null;
            }
            if (frame.isClose()) {
                return frame;
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
