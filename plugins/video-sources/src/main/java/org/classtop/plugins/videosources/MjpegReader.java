package org.classtop.plugins.videosources;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * {@code mjpeg}: JPEG images one after another. Finds each image's end by walking its marker segments
 * (so an EXIF thumbnail's own end marker does not cut it short) and, after the start of scan, the
 * entropy-coded data up to the end-of-image marker. Bytes before a start-of-image are skipped, up to
 * maxFrameBytes; an image longer than maxFrameBytes closes the connection.
 */
final class MjpegReader implements FrameReader {
    private final InputStream in;
    private final Runnable onClose;
    private final int maxFrameBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private byte[] frame;
    private int length;

    MjpegReader(InputStream in, int maxFrameBytes, Runnable onClose) {
        this.in = in;
        this.maxFrameBytes = maxFrameBytes;
        this.onClose = onClose;
        this.frame = new byte[Math.min(256 * 1024, maxFrameBytes)];
    }

    @Override
    public byte[] next() throws IOException {
        length = 0;
        if (!findStartOfImage()) {
            return null;
        }
        append(0xFF);
        append(0xD8);
        try {
            readSegments();
        } catch (EOFException e) {
            throw new IOException("The camera closed the connection in the middle of a frame.");
        }
        return Arrays.copyOf(frame, length);
    }

    private boolean findStartOfImage() throws IOException {
        long skipped = 0;
        int previous = -1;
        while (true) {
            int b = read();
            if (b < 0) {
                if (skipped > 0) {
                    throw new IOException("The camera closed the connection after " + skipped + " bytes that were not a JPEG.");
                }
                return false;
            }
            if (previous == 0xFF && b == 0xD8) {
                return true;
            }
            if (++skipped > maxFrameBytes) {
                throw new MalformedStreamException("The camera sent " + skipped + " bytes without a JPEG start marker: "
                        + "the stream is not mjpeg or is corrupt.");
            }
            previous = b;
        }
    }

    /** After SOI: marker segments; after SOS, entropy data until EOI (tables between progressive scans included). */
    private void readSegments() throws IOException {
        while (true) {
            int b = readOrFail();
            if (b != 0xFF) {
                throw new MalformedStreamException("The camera sent a JPEG with a broken marker structure: "
                        + "the stream is not mjpeg or is corrupt.");
            }
            int marker = readOrFail();
            while (marker == 0xFF) { // fill bytes
                marker = readOrFail();
            }
            append(0xFF);
            append(marker);
            if (marker == 0xD9) {
                return;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue;
            }
            int high = readOrFail();
            int low = readOrFail();
            append(high);
            append(low);
            int segment = (high << 8 | low) - 2;
            if (segment < 0) {
                throw new MalformedStreamException("The camera sent a JPEG segment with a negative length: "
                        + "the stream is not mjpeg or is corrupt.");
            }
            copy(segment);
            if (marker == 0xDA && scanToMarker()) {
                return;
            }
        }
    }

    /**
     * Copies entropy-coded data up to the next real marker; true when that marker was EOI (consumed),
     * false when another marker follows (left for {@link #readSegments()}, its FF already read and pushed back).
     */
    private boolean scanToMarker() throws IOException {
        while (true) {
            int b = readOrFail();
            if (b != 0xFF) {
                append(b);
                continue;
            }
            int next = readOrFail();
            while (next == 0xFF) {
                next = readOrFail();
            }
            if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                append(0xFF);
                append(next);
                continue;
            }
            if (next == 0xD9) {
                append(0xFF);
                append(0xD9);
                return true;
            }
            // A table or another scan follows (progressive JPEG): hand it back to the segment walker.
            position -= 2;
            buffer[position] = (byte) 0xFF;
            buffer[position + 1] = (byte) next;
            return false;
        }
    }

    private void copy(int count) throws IOException {
        ensureRoom(count);
        while (count > 0) {
            if (position == limit && !fill()) {
                throw new EOFException();
            }
            int n = Math.min(count, limit - position);
            System.arraycopy(buffer, position, frame, length, n);
            position += n;
            length += n;
            count -= n;
        }
    }

    private void append(int b) throws MalformedStreamException {
        if (length == frame.length || length == maxFrameBytes) {
            ensureRoom(1);
        }
        frame[length++] = (byte) b;
    }

    private void ensureRoom(int more) throws MalformedStreamException {
        long needed = (long) length + more;
        if (needed > maxFrameBytes) {
            throw new MalformedStreamException("The camera sent a JPEG longer than " + maxFrameBytes
                    + " bytes (video-sources.MAX_FRAME_BYTES): the stream is not mjpeg or is corrupt.");
        }
        if (needed > frame.length) {
            frame = Arrays.copyOf(frame, (int) Math.min(maxFrameBytes, Math.max(needed, (long) frame.length * 2)));
        }
    }

    private int readOrFail() throws IOException {
        int b = read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    private int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xFF;
    }

    /** Refills the buffer, keeping 2 bytes of room in front for a pushed-back marker. */
    private boolean fill() throws IOException {
        int n = in.read(buffer, 2, buffer.length - 2);
        if (n <= 0) {
            return false;
        }
        position = 2;
        limit = 2 + n;
        return true;
    }

    @Override
    public void close() {
        onClose.run();
    }
}
