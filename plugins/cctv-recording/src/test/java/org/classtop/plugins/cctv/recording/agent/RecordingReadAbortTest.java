package org.classtop.plugins.cctv.recording.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.classtop.api.agent.TransferException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A read never ends as a silent short transfer: a file cut short or a lost connection aborts it with a reason. */
class RecordingReadAbortTest {
    @TempDir
    Path dir;

    @Test
    void aFileThatEndsBeforeTheRangeAbortsTheTransfer() throws Exception {
        Path file = Files.write(dir.resolve("cut.mp4"), new byte[300_000]);
        MemoryStreams.MemoryTransfer transfer = new MemoryStreams.MemoryTransfer("cctv-recording.file.t");
        // the range was checked against 500,000 bytes; the file has been cut to 300,000 since
        RecordingReadCommand.send(FileChannel.open(file, StandardOpenOption.READ), transfer, 7, 0, 500_000);
        assertFalse(transfer.finished);
        assertEquals("Recording 7 ended at byte 300000, before the range did.", transfer.aborted);
        assertEquals(300_000, transfer.bytesWritten());
    }

    @Test
    void aLostConnectionAbortsTheTransfer() throws Exception {
        Path file = Files.write(dir.resolve("whole.mp4"), new byte[1_000_000]);
        MemoryStreams.MemoryTransfer lost = new MemoryStreams.MemoryTransfer("cctv-recording.file.t") {
            @Override
            public synchronized void write(byte[] chunk, Duration timeout) throws TransferException {
                if (bytesWritten() > 0) {
                    throw new TransferException("The connection to the server was lost.");
                }
                super.write(chunk, timeout);
            }
        };
        RecordingReadCommand.send(FileChannel.open(file, StandardOpenOption.READ), lost, 8, 0, 1_000_000);
        assertFalse(lost.finished);
        assertEquals("Reading recording 8 failed: The connection to the server was lost.", lost.aborted);
    }
}
