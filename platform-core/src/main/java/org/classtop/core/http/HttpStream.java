package org.classtop.core.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.classtop.api.Registration;
import org.classtop.api.server.StreamResponse;
import org.classtop.api.server.StreamSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * A {@link StreamResponse} being sent: parts are queued from any thread and written by the
 * connection's I/O thread with non-blocking writes. At most {@code maxQueuedBytes} wait (newest-wins
 * keeps a single waiting part), so a client that never reads costs a bounded amount of memory. A write
 * error (the client went away) or {@link #close()} ends it and runs the close callbacks.
 */
final class HttpStream implements StreamSink {
    private static final Logger LOG = LoggerFactory.getLogger(HttpStream.class);

    private final HttpServerExchange exchange;
    private final StreamResponse response;
    private final String owner;
    private final byte[] boundary;
    /** {@code --boundary}, written before every part. */
    private final String delimiter;
    private final Executor ioThread;
    private final ArrayDeque<ByteBuffer[]> queue = new ArrayDeque<>();
    private final List<Runnable> closeCallbacks = new ArrayList<>();
    private volatile StreamSinkChannel channel;
    private ByteBuffer[] writing;
    private long queuedBytes;
    private long dropped;
    private boolean ending;
    private boolean closed;
    private Registration tracking;

    private HttpStream(HttpServerExchange exchange, StreamResponse response, String owner) {
        this.exchange = exchange;
        this.response = response;
        this.owner = owner;
        this.boundary = ("classtop-" + UUID.randomUUID().toString().replace("-", "")).getBytes(StandardCharsets.US_ASCII);
        this.delimiter = "--" + new String(boundary, StandardCharsets.US_ASCII);
        this.ioThread = exchange.getIoThread();
    }

    /** Sends the head of the answer and hands the sink to the plugin (on the calling worker thread). */
    static void open(HttpServerExchange exchange, StreamResponse response, String owner, OpenConnections connections) {
        HttpStream stream = new HttpStream(exchange, response, owner);
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, response.isMultipart()
                ? StreamResponse.MULTIPART + ";boundary=" + new String(stream.boundary, StandardCharsets.US_ASCII)
                : response.contentType());
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseHeaders().put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
        stream.channel = exchange.getResponseChannel();
        stream.tracking = connections.track(owner, stream::abort);
        stream.onIoThread(stream::start);
        try {
            response.onOpen().accept(stream);
        } catch (RuntimeException e) {
            LOG.warn("[{}] stream of {} failed to open: {}", owner, exchange.getRequestPath(), e.toString());
            stream.abort();
        }
    }

    /** On the I/O thread: watches for the client going away, writes what is already queued. */
    private void start() {
        StreamSinkChannel sink = channel;
        sink.getWriteSetter().set((ChannelListener<StreamSinkChannel>) c -> {
            c.suspendWrites();
            flush();
        });
        sink.getCloseSetter().set(c -> abort());
        exchange.getConnection().addCloseListener(c -> abort());
        flush();
    }

    @Override
    public boolean send(String contentType, byte[] bytes) {
        ByteBuffer[] part = response.isMultipart() ? multipartPart(contentType, bytes)
                : new ByteBuffer[]{ByteBuffer.wrap(bytes.clone())};
        long size = remaining(part);
        boolean tooSlow = false;
        synchronized (this) {
            if (closed || ending) {
                return false;
            }
            if (response.slowClient() == StreamResponse.SlowClient.NEWEST_WINS) {
                // Parts wait up to maxQueuedBytes (so a viewer that keeps up on average rides out a burst),
                // the oldest dropped beyond it; the newest always waits.
                while (!queue.isEmpty() && queuedBytes + size > response.maxQueuedBytes()) {
                    queuedBytes -= remaining(queue.poll());
                    dropped++;
                }
            } else if (queuedBytes > 0 && queuedBytes + size > response.maxQueuedBytes()) {
                tooSlow = true;
            }
            if (!tooSlow) {
                queue.add(part);
                queuedBytes += size;
            }
        }
        if (tooSlow) {
            LOG.info("[{}] a client of {} fell over {} bytes behind: disconnecting it", owner, exchange.getRequestPath(),
                    response.maxQueuedBytes());
            abort();
            return false;
        }
        onIoThread(this::flush);
        return true;
    }

    private void onIoThread(Runnable task) {
        try {
            ioThread.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the server is stopping: its connections close with it
        }
    }

    /** Head, the plugin's bytes as they are (not copied: one frame shared by every viewer), CRLF. */
    private ByteBuffer[] multipartPart(String contentType, byte[] bytes) {
        byte[] head = (delimiter + "\r\nContent-Type: " + headerValue(contentType)
                + "\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return new ByteBuffer[]{ByteBuffer.wrap(head), ByteBuffer.wrap(bytes).asReadOnlyBuffer(), ByteBuffer.wrap(CRLF)};
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /** The part's content type, without line breaks (no header injection); no regex per frame. */
    private static String headerValue(String contentType) {
        if (contentType == null) {
            return "application/octet-stream";
        }
        return contentType.indexOf('\r') < 0 && contentType.indexOf('\n') < 0 ? contentType
                : contentType.replace("\r", "").replace("\n", "");
    }

    private static long remaining(ByteBuffer[] part) {
        long total = 0;
        for (ByteBuffer buffer : part) {
            total += buffer.remaining();
        }
        return total;
    }

    /** On the I/O thread: writes what it can without blocking, then waits for the socket to drain. */
    private void flush() {
        StreamSinkChannel sink;
        synchronized (this) {
            sink = channel;
            if (sink == null || closed) {
                return;
            }
        }
        try {
            while (true) {
                ByteBuffer[] next;
                boolean finish;
                synchronized (this) {
                    if (writing == null) {
                        writing = queue.poll();
                        if (writing != null) {
                            queuedBytes -= remaining(writing);
                        }
                    }
                    next = writing;
                    finish = ending && next == null;
                }
                if (next == null) {
                    if (finish) {
                        finish(sink);
                    } else if (!sink.flush()) {
                        sink.resumeWrites();
                    }
                    return;
                }
                sink.write(next, 0, next.length);
                if (next[next.length - 1].hasRemaining()) {
                    sink.resumeWrites();
                    return;
                }
                synchronized (this) {
                    writing = null;
                }
            }
        } catch (IOException e) {
            abort();
        }
    }

    private void finish(StreamSinkChannel sink) throws IOException {
        sink.shutdownWrites();
        if (sink.flush()) {
            IoUtils.safeClose(sink);
            abort();
        } else {
            sink.getWriteSetter().set(c -> {
                try {
                    if (c.flush()) {
                        IoUtils.safeClose(c);
                        abort();
                    }
                } catch (IOException e) {
                    abort();
                }
            });
            sink.resumeWrites();
        }
    }

    @Override
    public synchronized boolean isOpen() {
        return !closed && !ending;
    }

    @Override
    public void onClose(Runnable callback) {
        synchronized (this) {
            if (!closed) {
                closeCallbacks.add(callback);
                return;
            }
        }
        runCallback(callback);
    }

    @Override
    public synchronized long droppedParts() {
        return dropped;
    }

    /** Ends the answer gracefully: what is queued is sent, then the closing boundary. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed || ending) {
                return;
            }
            ending = true;
            if (response.isMultipart()) {
                byte[] end = (delimiter + "--\r\n").getBytes(StandardCharsets.US_ASCII);
                queue.add(new ByteBuffer[]{ByteBuffer.wrap(end)});
                queuedBytes += end.length;
            }
        }
        onIoThread(this::flush);
    }

    /** Ends it at once (client gone, too slow, plugin stopped): drops the connection, runs the callbacks. */
    void abort() {
        List<Runnable> callbacks;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            queuedBytes = 0;
            writing = null;
            callbacks = List.copyOf(closeCallbacks);
            closeCallbacks.clear();
        }
        if (tracking != null) {
            tracking.close();
        }
        onIoThread(() -> IoUtils.safeClose(exchange.getConnection()));
        callbacks.forEach(this::runCallback);
    }

    private void runCallback(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.warn("[{}] a stream's close callback failed: {}", owner, e.toString());
        }
    }
}
