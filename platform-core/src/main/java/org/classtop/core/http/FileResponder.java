package org.classtop.core.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import org.classtop.api.server.FileResponse;
import org.classtop.api.server.RangedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * Sends a {@link FileResponse}: conditional requests ({@code If-None-Match} → 304, {@code If-Range}),
 * a single byte range (206, or 416 when it starts past the end; several ranges get the whole content),
 * {@code HEAD}, and the body one piece of at most {@value #PIECE_BYTES} bytes at a time: the next piece
 * is read only when the previous one is written, so a slow client holds one piece in memory.
 */
final class FileResponder {
    static final int PIECE_BYTES = 64 * 1024;
    /** A Range header longer than this is ignored (the whole content is sent), whatever it holds. */
    static final int MAX_RANGE_HEADER_CHARS = 200;
    private static final Logger LOG = LoggerFactory.getLogger(FileResponder.class);

    /** A byte range, both ends included; {@code null} from {@link #parse} means "send it all". */
    record Range(long first, long last) {
        static final Range UNSATISFIABLE = new Range(-1, -1);

        long length() {
            return last - first + 1;
        }
    }

    private FileResponder() {
    }

    /** Called where the exchange may be answered later (after a dispatch); ends the exchange itself. */
    static void send(HttpServerExchange exchange, FileResponse file, String owner) {
        RangedSource source = file.source();
        long length = source.length();
        String etag = source.etag() == null ? null : "\"" + source.etag().replace("\"", "") + "\"";
        var headers = exchange.getResponseHeaders();
        headers.put(Headers.ACCEPT_RANGES, "bytes");
        headers.put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
        if (file.cacheControl() != null) {
            headers.put(Headers.CACHE_CONTROL, file.cacheControl());
        }
        if (etag != null) {
            headers.put(Headers.ETAG, etag);
        }
        if (file.downloadName() != null) {
            headers.put(Headers.CONTENT_DISPOSITION, "attachment; filename=\""
                    + file.downloadName().replaceAll("[\"\\\\\\r\\n]", "_") + "\"");
        }
        var request = exchange.getRequestHeaders();
        if (etag != null && matches(request.getFirst(Headers.IF_NONE_MATCH), etag)) {
            exchange.setStatusCode(304);
            source.close();
            exchange.endExchange();
            return;
        }
        Range range = null;
        String ifRange = request.getFirst(Headers.IF_RANGE);
        if (ifRange == null || (etag != null && ifRange.trim().equals(etag))) {
            range = parse(request.getFirst(Headers.RANGE), length);
        }
        if (range == Range.UNSATISFIABLE) {
            source.close();
            headers.put(Headers.CONTENT_RANGE, "bytes */" + length);
            ResponseWriter.error(exchange, new org.classtop.api.server.ApiException(416, "RANGE_NOT_SATISFIABLE",
                    "The requested range lies outside the " + length + " bytes of this content."));
            return;
        }
        long first = 0;
        long count = length;
        if (range != null) {
            exchange.setStatusCode(206);
            headers.put(Headers.CONTENT_RANGE, "bytes " + range.first() + "-" + range.last() + "/" + length);
            first = range.first();
            count = range.length();
        } else {
            exchange.setStatusCode(200);
        }
        headers.put(Headers.CONTENT_TYPE, file.contentType());
        headers.put(Headers.CONTENT_LENGTH, count);
        if (exchange.getRequestMethod().equals(Methods.HEAD) || count == 0) {
            source.close();
            exchange.endExchange();
            return;
        }
        new Transfer(exchange, source, first, count, owner).next();
    }

    /**
     * The range of a {@code Range} header against a content of {@code length} bytes: null to send it all
     * (no header, not bytes, several ranges, malformed or too long), {@link Range#UNSATISFIABLE} for 416.
     */
    static Range parse(String header, long length) {
        if (header == null || header.length() > MAX_RANGE_HEADER_CHARS) {
            return null;
        }
        String value = header.trim();
        if (!value.regionMatches(true, 0, "bytes=", 0, 6) || value.indexOf(',') >= 0) {
            return null;
        }
        String spec = value.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String from = spec.substring(0, dash).trim();
        String to = spec.substring(dash + 1).trim();
        if (!from.chars().allMatch(Character::isDigit) || !to.chars().allMatch(Character::isDigit)
                || from.isEmpty() && to.isEmpty()) {
            return null;
        }
        if (from.isEmpty()) { // the last N bytes
            long suffix = digits(to);
            if (suffix == 0) {
                return Range.UNSATISFIABLE;
            }
            return length == 0 ? Range.UNSATISFIABLE : new Range(Math.max(0, length - suffix), length - 1);
        }
        long start = digits(from);
        if (start >= length) {
            return Range.UNSATISFIABLE;
        }
        long end = to.isEmpty() ? length - 1 : Math.min(digits(to), length - 1);
        if (end < start) {
            return null; // invalid: ignored, the whole content is sent
        }
        return new Range(start, end);
    }

    /** A run of digits as a number, saturating at Long.MAX_VALUE (a huge number means "past the end"). */
    private static long digits(String text) {
        if (text.length() > 18) {
            return Long.MAX_VALUE;
        }
        return Long.parseLong(text);
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** One body being sent: read a piece (on a worker), write it (on the I/O thread), repeat. */
    private static final class Transfer {
        private final HttpServerExchange exchange;
        private final RangedSource source;
        private final String owner;
        private final Executor ioThread;
        private final Executor worker;
        private final StreamSinkChannel channel;
        private long offset;
        private long remaining;
        private ByteBuffer piece;
        private final java.util.concurrent.atomic.AtomicBoolean sourceClosed = new java.util.concurrent.atomic.AtomicBoolean();

        Transfer(HttpServerExchange exchange, RangedSource source, long offset, long remaining, String owner) {
            this.exchange = exchange;
            this.source = source;
            this.offset = offset;
            this.remaining = remaining;
            this.owner = owner;
            this.ioThread = exchange.getIoThread();
            this.worker = exchange.getConnection().getWorker();
            this.channel = exchange.getResponseChannel();
            channel.getWriteSetter().set(c -> {
                c.suspendWrites();
                write();
            });
            exchange.addExchangeCompleteListener((ex, next) -> {
                closeSource();
                next.proceed();
            });
        }

        private void closeSource() {
            if (sourceClosed.compareAndSet(false, true)) {
                try {
                    source.close();
                } catch (RuntimeException e) {
                    LOG.warn("[{}] closing the source of {} failed: {}", owner, exchange.getRequestPath(), e.toString());
                }
            }
        }

        /** Ends the answer early (client gone, source failed): the client sees a short body. */
        private void abort() {
            closeSource();
            ioThread.execute(() -> IoUtils.safeClose(exchange.getConnection()));
        }

        void next() {
            if (remaining == 0) {
                ioThread.execute(this::finish);
                return;
            }
            int want = (int) Math.min(PIECE_BYTES, remaining);
            worker.execute(() -> {
                try {
                    source.read(offset, want).whenComplete((buffer, error) -> {
                        if (error != null || buffer == null || !buffer.hasRemaining()) {
                            LOG.warn("[{}] {} could not be sent: the source {} at byte {}", owner, exchange.getRequestPath(),
                                    error == null ? "ended early" : "failed (" + error + ")", offset);
                            abort();
                            return;
                        }
                        if (buffer.remaining() > remaining) {
                            buffer.limit(buffer.position() + (int) remaining);
                        }
                        offset += buffer.remaining();
                        remaining -= buffer.remaining();
                        piece = buffer;
                        ioThread.execute(this::write);
                    });
                } catch (RuntimeException e) {
                    LOG.warn("[{}] {} could not be read: {}", owner, exchange.getRequestPath(), e.toString());
                    abort();
                }
            });
        }

        /** On the I/O thread. */
        private void write() {
            try {
                channel.write(piece);
                if (piece.hasRemaining()) {
                    channel.resumeWrites();
                    return;
                }
                piece = null;
                next();
            } catch (IOException e) {
                abort(); // the client went away
            }
        }

        private void finish() {
            try {
                channel.shutdownWrites();
                if (!channel.flush()) {
                    channel.getWriteSetter().set(c -> {
                        try {
                            if (c.flush()) {
                                c.suspendWrites();
                                exchange.endExchange();
                            }
                        } catch (IOException e) {
                            abort();
                        }
                    });
                    channel.resumeWrites();
                    return;
                }
                exchange.endExchange();
            } catch (IOException e) {
                abort();
            }
        }
    }
}
