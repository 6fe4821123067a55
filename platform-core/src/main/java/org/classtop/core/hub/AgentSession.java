package org.classtop.core.hub;

import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.classtop.core.clients.ClientState;
import org.xnio.IoUtils;

/**
 * One agent connection. Outbound frames go through a bounded count of frames in flight: a slow
 * agent that stops reading fills only its own allowance, and further sends to it fail at once
 * instead of queueing without bound or stalling anyone else.
 */
public final class AgentSession {
    static final int MAX_FRAMES_IN_FLIGHT = 1024;

    private final WebSocketChannel channel;
    private final String pathUuid;
    private final String ipAddress;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<String> pendingRequests = ConcurrentHashMap.newKeySet();
    private volatile ClientState client;
    private volatile boolean approved;
    private volatile long heartbeatMillis;
    private volatile long lastSeenMillis = System.currentTimeMillis();
    private volatile boolean closed;

    AgentSession(WebSocketChannel channel, String pathUuid, String ipAddress, long heartbeatMillis) {
        this.channel = channel;
        this.pathUuid = pathUuid;
        this.ipAddress = ipAddress;
        this.heartbeatMillis = heartbeatMillis;
    }

    /** Queues a text frame; false when the agent is gone or has too much unsent. */
    public boolean send(String text) {
        if (closed || !channel.isOpen()) {
            return false;
        }
        if (inFlight.incrementAndGet() > MAX_FRAMES_IN_FLIGHT) {
            inFlight.decrementAndGet();
            return false;
        }
        Runnable write = () -> WebSockets.sendText(text, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel ch, Void context) {
                inFlight.decrementAndGet();
            }

            @Override
            public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
                inFlight.decrementAndGet();
                IoUtils.safeClose(ch);
            }
        });
        if (channel.getIoThread() == Thread.currentThread()) {
            write.run();
        } else {
            channel.getIoThread().execute(write);
        }
        return true;
    }

    /** Sends a close frame with a readable reason, then drops the connection if the peer does not answer. */
    void close(int code, String reason) {
        closed = true;
        Runnable doClose = () -> {
            if (!channel.isOpen()) {
                return;
            }
            WebSockets.sendClose(code, truncate(reason), channel, new WebSocketCallback<Void>() {
                @Override
                public void complete(WebSocketChannel ch, Void context) {
                    ch.getIoThread().executeAfter(() -> IoUtils.safeClose(ch), 2, java.util.concurrent.TimeUnit.SECONDS);
                }

                @Override
                public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
                    IoUtils.safeClose(ch);
                }
            });
        };
        if (channel.getIoThread() == Thread.currentThread()) {
            doClose.run();
        } else {
            channel.getIoThread().execute(doClose);
        }
    }

    /** Close reasons must fit in 123 bytes of UTF-8. */
    private static String truncate(String reason) {
        byte[] bytes = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length <= 123) {
            return reason;
        }
        return new String(bytes, 0, 120, java.nio.charset.StandardCharsets.UTF_8).replace("\uFFFD", "") + "…";
    }

    void touch() {
        lastSeenMillis = System.currentTimeMillis();
    }

    long lastSeenMillis() {
        return lastSeenMillis;
    }

    long heartbeatMillis() {
        return heartbeatMillis;
    }

    void setHeartbeatMillis(long heartbeatMillis) {
        this.heartbeatMillis = heartbeatMillis;
    }

    String pathUuid() {
        return pathUuid;
    }

    public String ipAddress() {
        return ipAddress;
    }

    public ClientState client() {
        return client;
    }

    void setClient(ClientState client) {
        this.client = client;
    }

    public boolean approved() {
        return approved;
    }

    void setApproved(boolean approved) {
        this.approved = approved;
    }

    public boolean registered() {
        return client != null;
    }

    public Set<String> pendingRequests() {
        return pendingRequests;
    }

    public boolean isClosed() {
        return closed || !channel.isOpen();
    }
}
