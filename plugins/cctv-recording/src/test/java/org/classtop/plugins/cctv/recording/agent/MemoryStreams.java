package org.classtop.plugins.cctv.recording.agent;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.classtop.api.agent.BinaryStreams;
import org.classtop.api.agent.LiveStream;
import org.classtop.api.agent.Transfer;

/** BinaryStreams into memory, for the commands' unit tests (the real lane is in RecordingTransferEndToEndTest). */
final class MemoryStreams implements BinaryStreams {
    final Map<String, MemoryTransfer> transfers = new ConcurrentHashMap<>();

    @Override
    public LiveStream openLive(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Transfer openTransfer(String name) {
        MemoryTransfer t = new MemoryTransfer("cctv-recording." + name);
        transfers.put(name, t);
        return t;
    }

    static class MemoryTransfer implements Transfer {
        final String name;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CountDownLatch ended = new CountDownLatch(1);
        volatile boolean finished;
        volatile String aborted;

        MemoryTransfer(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public synchronized void write(byte[] chunk, Duration timeout) throws org.classtop.api.agent.TransferException {
            bytes.write(chunk, 0, chunk.length);
        }

        @Override
        public void finish() {
            if (aborted == null && !finished) {
                finished = true;
                ended.countDown();
            }
        }

        @Override
        public void abort(String reason) {
            if (aborted == null && !finished) {
                aborted = reason;
                ended.countDown();
            }
        }

        @Override
        public long bytesWritten() {
            return bytes.size();
        }

        @Override
        public void close() {
            abort("closed without finish");
        }
    }
}
