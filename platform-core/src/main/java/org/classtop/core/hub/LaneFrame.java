package org.classtop.core.hub;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * One binary frame of the agent's binary lane (docs/protocol.md): version 1, a kind, the stream name,
 * for transfers an 8-byte transfer id, then the payload. {@link #parse} refuses anything else with a
 * sentence.
 */
public record LaneFrame(Kind kind, String stream, long transferId, byte[] payload) {
    public static final int VERSION = 1;
    /** {@code <plugin-id>.<name>}: letters, digits, dots, dashes, underscores. */
    static final Pattern STREAM = Pattern.compile("[a-z][a-z0-9-]{0,63}\\.[A-Za-z0-9._-]{1,200}");

    public enum Kind {
        LIVE(1), CHUNK(2), END(3), ABORT(4);

        final int code;

        Kind(int code) {
            this.code = code;
        }

        static Kind of(int code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            return null;
        }

        boolean hasTransferId() {
            return this != LIVE;
        }
    }

    /** A frame that breaks the layout; the message is a sentence for the close reason. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** The plugin id that owns the stream: the part before the first dot. */
    public String owner() {
        return stream.substring(0, stream.indexOf('.'));
    }

    static LaneFrame parse(byte[] bytes) throws Malformed {
        if (bytes.length < 3) {
            throw new Malformed("A binary frame is shorter than its header.");
        }
        if (bytes[0] != VERSION) {
            throw new Malformed("A binary frame has the unknown version " + (bytes[0] & 0xff) + ".");
        }
        Kind kind = Kind.of(bytes[1] & 0xff);
        if (kind == null) {
            throw new Malformed("A binary frame has the unknown kind " + (bytes[1] & 0xff) + ".");
        }
        int nameLength = bytes[2] & 0xff;
        int offset = 3 + nameLength;
        if (nameLength == 0 || offset > bytes.length) {
            throw new Malformed("A binary frame's stream name is empty or longer than the frame.");
        }
        String stream;
        try {
            stream = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 3, nameLength)).toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("A binary frame's stream name is not UTF-8.");
        }
        if (!STREAM.matcher(stream).matches()) {
            throw new Malformed("A binary frame names the stream '" + stream.substring(0, Math.min(40, stream.length()))
                    + "', which is not <plugin-id>.<name>.");
        }
        long transferId = 0;
        if (kind.hasTransferId()) {
            if (offset + 8 > bytes.length) {
                throw new Malformed("A transfer frame has no transfer id.");
            }
            transferId = ByteBuffer.wrap(bytes, offset, 8).getLong();
            offset += 8;
            if (transferId <= 0) {
                throw new Malformed("A transfer id must be positive.");
            }
        }
        if (kind == Kind.END && offset != bytes.length) {
            throw new Malformed("A transfer end frame carries no payload.");
        }
        return new LaneFrame(kind, stream, transferId, Arrays.copyOfRange(bytes, offset, bytes.length));
    }

    /** The frame's bytes (what an agent sends). */
    public static byte[] encode(Kind kind, String stream, long transferId, byte[] payload) {
        byte[] name = stream.getBytes(StandardCharsets.UTF_8);
        if (name.length == 0 || name.length > 255) {
            throw new IllegalArgumentException("A stream name is 1 to 255 bytes of UTF-8.");
        }
        ByteBuffer buffer = ByteBuffer.allocate(3 + name.length + (kind.hasTransferId() ? 8 : 0) + payload.length);
        buffer.put((byte) VERSION).put((byte) kind.code).put((byte) name.length).put(name);
        if (kind.hasTransferId()) {
            buffer.putLong(transferId);
        }
        return buffer.put(payload).array();
    }
}
