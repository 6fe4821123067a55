package org.classtop.agent;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the binary lane's frames (docs/protocol.md): version 1, kind, stream name length and UTF-8
 * name, an 8-byte transfer id for transfer frames, then the payload. (The server's reader is
 * {@code org.classtop.core.hub.LaneFrame}.)
 */
final class LaneFrames {
    static final byte VERSION = 1;
    static final byte LIVE = 1;
    static final byte CHUNK = 2;
    static final byte END = 3;
    static final byte ABORT = 4;

    private LaneFrames() {
    }

    static ByteBuffer live(byte[] streamName, byte[] frame) {
        return header(LIVE, streamName, frame.length).put(frame).flip();
    }

    static ByteBuffer transfer(byte kind, byte[] streamName, long transferId, byte[] payload, int offset, int length) {
        return header(kind, streamName, 8 + length).putLong(transferId).put(payload, offset, length).flip();
    }

    private static ByteBuffer header(byte kind, byte[] streamName, int rest) {
        return ByteBuffer.allocate(3 + streamName.length + rest).put(VERSION).put(kind).put((byte) streamName.length)
                .put(streamName);
    }

    /** The wire name {@code <plugin-id>.<name>} as bytes, or an exception with a sentence. */
    static byte[] streamName(String pluginId, String name) {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,190}")) {
            throw new IllegalArgumentException("The stream name '" + name
                    + "' must be 1 to 190 letters, digits, dots, dashes or underscores.");
        }
        return (pluginId + "." + name).getBytes(StandardCharsets.UTF_8);
    }
}
