package org.classtop.api.server;

/**
 * Declares a browser WebSocket route under the same authentication as REST: a bearer token, or the
 * session cookie from a page of this server (a cross-site page is refused). Finish with {@link #to(Class)}.
 */
public interface WebSocketBuilder {
    WebSocketBuilder summary(String summary);

    /** The least role that may open it (default {@code VIEWER}). */
    WebSocketBuilder requires(Role role);

    /** At most this many sockets open on the route at once (default 1000); more are refused with 503. */
    WebSocketBuilder maxConnections(int count);

    /** Bytes queued to one socket before it is closed as too slow (default 1 MiB). */
    WebSocketBuilder maxQueuedBytes(long bytes);

    /** The handler class, created once through the plugin's injector. */
    void to(Class<? extends WebSocketHandler> handler);
}
