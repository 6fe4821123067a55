package org.classtop.api.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A handler's answer of bytes that may be large: a file or a {@link RangedSource}. The platform answers
 * {@code HEAD}, a single {@code Range} (206 with {@code Content-Range}, 416 when it lies past the end),
 * {@code If-None-Match} (304) and {@code If-Range}, and sends {@code Content-Length} and {@code ETag},
 * reading the source piece by piece (never the whole of it into memory).
 *
 * <pre>{@code
 * return FileResponse.of(context.dataDir().resolve("clip.mp4"), "video/mp4").downloadAs("clip.mp4");
 * }</pre>
 */
public final class FileResponse {
    private final RangedSource source;
    private final String contentType;
    private final String downloadName;
    private final String cacheControl;

    private FileResponse(RangedSource source, String contentType, String downloadName, String cacheControl) {
        this.source = Objects.requireNonNull(source);
        this.contentType = Objects.requireNonNull(contentType);
        this.downloadName = downloadName;
        this.cacheControl = cacheControl;
    }

    /**
     * A file; its ETag is made of its size and modification time.
     *
     * @throws ApiException 404 when there is no such regular file
     */
    public static FileResponse of(Path file, String contentType) {
        if (!Files.isRegularFile(file)) {
            throw ApiException.notFound("FILE_NOT_FOUND", "The file " + file.getFileName() + " does not exist.");
        }
        return new FileResponse(new PathSource(file), contentType, null, "no-cache");
    }

    public static FileResponse of(RangedSource source, String contentType) {
        return new FileResponse(source, contentType, null, "no-cache");
    }

    /** Sends {@code Content-Disposition: attachment} with this file name. */
    public FileResponse downloadAs(String fileName) {
        return new FileResponse(source, contentType, fileName, cacheControl);
    }

    /** The {@code Cache-Control} header (default {@code no-cache}: the browser revalidates with the ETag). */
    public FileResponse cacheControl(String value) {
        return new FileResponse(source, contentType, downloadName, value);
    }

    public RangedSource source() {
        return source;
    }

    public String contentType() {
        return contentType;
    }

    public String downloadName() {
        return downloadName;
    }

    public String cacheControl() {
        return cacheControl;
    }

    /** A file read with positional reads; each piece is read when the platform asks for it. */
    private static final class PathSource implements RangedSource {
        private final Path file;
        private final long length;
        private final String etag;
        private FileChannel channel;

        PathSource(Path file) {
            this.file = file;
            try {
                this.length = Files.size(file);
                this.etag = Long.toHexString(length) + "-" + Long.toHexString(Files.getLastModifiedTime(file).toMillis());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public String etag() {
            return etag;
        }

        @Override
        public synchronized CompletionStage<ByteBuffer> read(long offset, int maxBytes) {
            try {
                if (channel == null) {
                    channel = FileChannel.open(file, StandardOpenOption.READ);
                }
                ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(maxBytes, Math.max(0, length - offset)));
                while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                    // read until the piece is full or the file ends
                }
                return CompletableFuture.completedFuture(buffer.flip());
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public synchronized void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing left to do
                }
            }
        }
    }
}
