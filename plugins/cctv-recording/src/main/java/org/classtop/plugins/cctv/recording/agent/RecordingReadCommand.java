package org.classtop.plugins.cctv.recording.agent;

import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.classtop.api.agent.BinaryStreams;
import org.classtop.api.agent.CommandException;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;
import org.classtop.api.agent.Transfer;
import org.classtop.api.agent.TransferException;
import org.classtop.plugins.cctv.recording.CctvFailure;
import org.classtop.plugins.cctv.recording.Recording;

/**
 * Internal {@code cctv_recording_read {"id","offset","length","transfer"}}: checks the id and the range, opens
 * the file (its path comes from the index and must lie inside the recordings root after links are resolved) and
 * the transfer {@code file.<transfer>}, answers {@code {"id","size","offset","length"}} at once, and sends the
 * bytes on one of {@link FileReads}' threads. A file that ends early or a lost connection aborts the transfer.
 */
final class RecordingReadCommand implements CommandHandler {
    private final SqliteRecordingIndex index;
    private final BinaryStreams streams;
    private final FileReads reads;

    @Inject
    RecordingReadCommand(SqliteRecordingIndex index, BinaryStreams streams, FileReads reads) {
        this.index = index;
        this.streams = streams;
        this.reads = reads;
    }

    @Override
    public Object handle(CommandRequest request) {
        long id = Params.recordingId(request);
        long offset = Params.requireLong(request, "offset", 0, Long.MAX_VALUE);
        long length = Params.requireLong(request, "length", 1, Long.MAX_VALUE);
        String transfer = Params.transfer(request);
        Recording row = GetRecordingCommand.find(index, id);
        FileChannel channel;
        long size;
        try {
            Path file = index.fileOf(row);
            channel = FileChannel.open(file, StandardOpenOption.READ);
            size = channel.size();
        } catch (IOException e) {
            throw new CctvFailure("RECORDING_NOT_FOUND", "The file of recording " + id + " cannot be read.");
        }
        if (offset >= size || length > size - offset) {
            close(channel);
            throw CctvFailure.badParams("The range from byte " + offset + " for " + length + " bytes is outside recording "
                    + id + ", which has " + size + " bytes.");
        }
        Transfer upload;
        try {
            upload = streams.openTransfer("file." + transfer);
        } catch (TransferException | RuntimeException e) {
            close(channel);
            throw new CommandException("The recording cannot be sent now: " + e.getMessage());
        }
        if (!reads.submit(() -> send(channel, upload, id, offset, length))) {
            upload.abort("The agent is busy sending other recordings.");
            close(channel);
            throw new CctvFailure("RECORDING_BUSY", "This agent is already sending " + FileReads.THREADS
                    + " recordings; try again shortly.");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("size", size);
        answer.put("offset", offset);
        answer.put("length", length);
        return answer;
    }

    /** Sends bytes [offset, offset + length) and finishes, or aborts the transfer with the reason (never a short finish). */
    static void send(FileChannel channel, Transfer upload, long id, long offset, long length) {
        String failure = null;
        try (channel) {
            ByteBuffer buffer = ByteBuffer.allocate(FileReads.CHUNK);
            long position = offset;
            long end = offset + length;
            while (position < end && failure == null) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
                int n = channel.read(buffer, position);
                if (n < 0) {
                    failure = "Recording " + id + " ended at byte " + position + ", before the range did.";
                } else {
                    byte[] chunk = new byte[n];
                    buffer.flip().get(chunk);
                    upload.write(chunk, FileReads.CREDIT_TIMEOUT);
                    position += n;
                }
            }
            if (failure == null) {
                upload.finish();
            }
        } catch (InterruptedException e) {
            failure = "The agent is stopping.";
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            failure = "Reading recording " + id + " failed: " + e.getMessage();
        } finally {
            if (failure != null) {
                upload.abort(failure); // before close(), which would abort without saying why
            }
            upload.close();
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only
        }
    }
}
