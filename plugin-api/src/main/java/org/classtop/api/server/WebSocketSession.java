package org.classtop.api.server;

/**
 * One open browser WebSocket. Sends never block and are thread-safe; a socket with more than its
 * route's queue bound (default 1 MiB) unsent is closed, so a slow browser never makes the server queue
 * without limit.
 */
public interface WebSocketSession {
    /** A path parameter of the route template, URL-decoded. */
    String pathParam(String name);

    /** Who opened it. */
    Caller caller();

    /** @return false when the socket is closed (or was just closed for being too far behind) */
    boolean sendText(String text);

    /**
     * Sends {@code data} as it is, without copying it (one frame can go to many sockets): don't change the
     * array after sending it.
     *
     * @return false when the socket is closed (or was just closed for being too far behind)
     */
    boolean sendBinary(byte[] data);

    boolean isOpen();

    void close();
}
