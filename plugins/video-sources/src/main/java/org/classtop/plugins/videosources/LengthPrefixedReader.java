package org.classtop.plugins.videosources;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code jpeg-length-prefixed}: a 4-byte big-endian length, then that many bytes of JPEG. A length
 * outside 4..maxFrameBytes, or a frame that is not a JPEG, is refused before anything is allocated.
 */
final class LengthPrefixedReader implements FrameReader {
    private final DataInputStream in;
    private final Runnable onClose;
    private final int maxFrameBytes;

    LengthPrefixedReader(InputStream in, int maxFrameBytes, Runnable onClose) {
        this.in = new DataInputStream(in);
        this.maxFrameBytes = maxFrameBytes;
        this.onClose = onClose;
    }

    @Override
    public byte[] next() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int rest;
        try {
            rest = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        } catch (EOFException e) {
            throw new IOException("The camera closed the connection in the middle of a frame length.");
        }
        long length = ((long) first << 24) | rest;
        if (length < 4 || length > maxFrameBytes) {
            throw new MalformedStreamException("The camera sent a frame length of " + length + " bytes, outside 4 to "
                    + maxFrameBytes + " (video-sources.MAX_FRAME_BYTES): the stream is not jpeg-length-prefixed or is corrupt.");
        }
        byte[] jpeg;
        try {
            // The JPEG start marker is checked before the claimed length is allocated.
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            if (b0 != 0xFF || b1 != 0xD8) {
                throw new MalformedStreamException("The camera sent a frame that is not a JPEG (it does not start with FF D8).");
            }
            jpeg = new byte[(int) length];
            jpeg[0] = (byte) b0;
            jpeg[1] = (byte) b1;
            in.readFully(jpeg, 2, jpeg.length - 2);
        } catch (EOFException e) {
            throw new IOException("The camera closed the connection in the middle of a frame.");
        }
        return jpeg;
    }

    @Override
    public void close() {
        onClose.run();
    }
}
