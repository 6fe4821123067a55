package org.classtop.core.hub;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;

/**
 * Reads one text (or binary) message without blocking and refuses it as soon as it passes the size limit.
 * (Undertow's own buffered reader checks its limit only on some paths, so a large message can get
 * through it whole.)
 */
final class LimitedTextReader implements ChannelListener<StreamSourceFrameChannel> {
    private final long limit;
    private final Consumer<String> onMessage;
    private final Consumer<byte[]> onBytes;
    private final Runnable onTooBig;
    private final Consumer<IOException> onError;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream(256);

    LimitedTextReader(long limit, Consumer<String> onMessage, Runnable onTooBig, Consumer<IOException> onError) {
        this(limit, onMessage, null, onTooBig, onError);
    }

    private LimitedTextReader(long limit, Consumer<String> onMessage, Consumer<byte[]> onBytes, Runnable onTooBig,
                              Consumer<IOException> onError) {
        this.limit = limit;
        this.onMessage = onMessage;
        this.onBytes = onBytes;
        this.onTooBig = onTooBig;
        this.onError = onError;
    }

    /** The same for a binary message: {@code onBytes} gets its bytes. */
    static LimitedTextReader forBytes(long limit, Consumer<byte[]> onBytes, Runnable onTooBig,
                                      Consumer<IOException> onError) {
        return new LimitedTextReader(limit, null, onBytes, onTooBig, onError);
    }

    void start(StreamSourceFrameChannel channel) {
        handleEvent(channel);
    }

    @Override
    public void handleEvent(StreamSourceFrameChannel channel) {
        PooledByteBuffer pooled = channel.getWebSocketChannel().getBufferPool().allocate();
        ByteBuffer buffer = pooled.getBuffer();
        try {
            while (true) {
                buffer.clear();
                int read = channel.read(buffer);
                if (read > 0) {
                    if (data.size() + read > limit) {
                        channel.getReadSetter().set(null);
                        IoUtils.safeClose(channel);
                        onTooBig.run();
                        return;
                    }
                    buffer.flip();
                    byte[] chunk = new byte[buffer.remaining()];
                    buffer.get(chunk);
                    data.write(chunk, 0, chunk.length);
                } else if (read == 0) {
                    channel.getReadSetter().set(this);
                    channel.resumeReads();
                    return;
                } else {
                    channel.getReadSetter().set(null);
                    if (onBytes != null) {
                        onBytes.accept(data.toByteArray());
                    } else {
                        onMessage.accept(data.toString(StandardCharsets.UTF_8));
                    }
                    return;
                }
            }
        } catch (IOException e) {
            IoUtils.safeClose(channel);
            onError.accept(e);
        } finally {
            pooled.close();
        }
    }
}
