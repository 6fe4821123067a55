package org.classtop.api.server;

/**
 * Serves a browser WebSocket route ({@code webSocket("/api/video/{id}/ws").to(MyHandler.class)}). One
 * instance serves every socket of the route; calls for one socket come one at a time, off the I/O threads.
 */
public interface WebSocketHandler {
    /** A socket was opened by an authenticated caller. */
    void onOpen(WebSocketSession session) throws Exception;

    /** A text message (at most 64 KiB; a larger one closes the socket). */
    default void onText(WebSocketSession session, String text) throws Exception {
    }

    /** A binary message (at most 64 KiB; a larger one closes the socket). */
    default void onBinary(WebSocketSession session, byte[] data) throws Exception {
    }

    /** The socket closed: by the browser, by {@link WebSocketSession#close()}, or because the plugin stopped. */
    default void onClose(WebSocketSession session) {
    }
}
