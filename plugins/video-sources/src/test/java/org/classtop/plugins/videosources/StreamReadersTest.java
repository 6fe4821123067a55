package org.classtop.plugins.videosources;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The two TCP stream formats, frame by frame, including the hostile cases. */
class StreamReadersTest {
    /** SOI, an APP1 holding a thumbnail's own SOI/EOI, SOS with stuffed FF00 and a restart marker, a table, a second scan, EOI. */
    private static byte[] trickyJpeg() {
        return bytes(0xFF, 0xD8,
                0xFF, 0xE1, 0x00, 0x08, 0xFF, 0xD8, 0x01, 0x02, 0xFF, 0xD9,
                0xFF, 0xDA, 0x00, 0x04, 0x01, 0x02,
                0x11, 0xFF, 0x00, 0x22, 0xFF, 0xD0, 0x33,
                0xFF, 0xC4, 0x00, 0x03, 0x07,
                0xFF, 0xDA, 0x00, 0x03, 0x05, 0x44, 0x55,
                0xFF, 0xD9);
    }

    @Test
    void mjpegFindsEachImageEndByItsStructure() throws IOException {
        byte[] jpeg = trickyJpeg();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.write(new byte[]{1, 2, 3}); // junk before the first image is skipped
        stream.write(jpeg);
        stream.write(jpeg);
        MjpegReader reader = new MjpegReader(new OneByteAtATime(stream.toByteArray()), 1024, () -> { });
        assertArrayEquals(jpeg, reader.next());
        assertArrayEquals(jpeg, reader.next());
        assertNull(reader.next(), "a clean end");
    }

    @Test
    void mjpegRefusesGarbageAndOverlongImagesWithinTheBound() {
        byte[] garbage = new byte[5000];
        MalformedStreamException noStart = assertThrows(MalformedStreamException.class,
                () -> new MjpegReader(new ByteArrayInputStream(garbage), 1024, () -> { }).next());
        assertTrue(noStart.getMessage().contains("without a JPEG start marker"), noStart.getMessage());

        byte[] endless = new byte[5000];
        endless[0] = (byte) 0xFF;
        endless[1] = (byte) 0xD8;
        endless[2] = (byte) 0xFF;
        endless[3] = (byte) 0xDA;
        endless[4] = 0;
        endless[5] = 2;
        MalformedStreamException tooLong = assertThrows(MalformedStreamException.class,
                () -> new MjpegReader(new ByteArrayInputStream(endless), 1024, () -> { }).next());
        assertTrue(tooLong.getMessage().contains("longer than 1024"), tooLong.getMessage());
    }

    @Test
    void lengthPrefixedRefusesAHugeLengthBeforeAllocatingIt() throws IOException {
        byte[] jpeg = trickyJpeg();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.write(new byte[]{0, 0, 0, (byte) jpeg.length});
        stream.write(jpeg);
        stream.write(new byte[]{0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        LengthPrefixedReader reader = new LengthPrefixedReader(new ByteArrayInputStream(stream.toByteArray()), 1024, () -> { });
        assertArrayEquals(jpeg, reader.next());
        MalformedStreamException huge = assertThrows(MalformedStreamException.class, reader::next);
        assertTrue(huge.getMessage().contains("2147483647"), huge.getMessage());

        LengthPrefixedReader notJpeg = new LengthPrefixedReader(
                new ByteArrayInputStream(bytes(0, 0, 0, 4, 1, 2, 3, 4)), 1024, () -> { });
        assertThrows(MalformedStreamException.class, notJpeg::next);
        assertNull(new LengthPrefixedReader(new ByteArrayInputStream(new byte[0]), 1024, () -> { }).next());
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** Worst-case TCP: every read returns one byte, so markers straddle buffer refills. */
    private static final class OneByteAtATime extends InputStream {
        private final ByteArrayInputStream in;

        OneByteAtATime(byte[] bytes) {
            in = new ByteArrayInputStream(bytes);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(1, len));
        }
    }
}
