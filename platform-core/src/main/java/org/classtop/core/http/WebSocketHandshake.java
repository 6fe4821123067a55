package org.classtop.core.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.HttpUpgradeListener;
import io.undertow.server.handlers.ResponseCodeHandler;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.spi.AsyncWebSocketHttpServerExchange;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.xnio.StreamConnection;

/**
 * Undertow's WebSocket handshake (RFC 6455, version 13), without keeping the handshake request for as long as the
 * socket is open.
 *
 * <p>With a {@link WebSocketConnectionCallback} Undertow hands the connection an upgrade listener that captured the
 * request (the exchange, its headers and attachments), and the connection keeps that listener until the socket
 * closes: about 1.5 KiB per agent, 15 MB with 10,000 agents (class histograms, 2026-12-06). Here the connection keeps
 * one shared listener, which sees the exchange only while the socket is set up. The drafts before RFC 6455
 * (hybi-07 and -08, 2011), which Undertow's default also accepts, are not offered: no current client speaks them.
 */
public final class WebSocketHandshake {
    private WebSocketHandshake() {
    }

    /** A handler that upgrades a WebSocket handshake and calls {@code callback} with the new socket (else 404). */
    public static HttpHandler handler(WebSocketConnectionCallback callback) {
        Hybi13Handshake handshake = new Hybi13Handshake();
        // Undertow wants a set of open sockets (each channel takes itself out of it when it closes); none is kept here.
        Set<WebSocketChannel> untracked = Collections.emptySet();
        return upgrade((streamConnection, exchange) -> {
            AsyncWebSocketHttpServerExchange facade = new AsyncWebSocketHttpServerExchange(exchange, untracked);
            WebSocketChannel channel = handshake.createChannel(facade, streamConnection, facade.getBufferPool());
            callback.onConnect(facade, channel);
        });
    }

    /**
     * A handler that answers a WebSocket handshake as {@link #handler} does and hands {@code upgraded} the bare
     * connection and the handshake request, for a caller that reads and writes the frames itself (else 404).
     */
    public static HttpHandler upgrade(BiConsumer<StreamConnection, HttpServerExchange> upgraded) {
        HttpUpgradeListener connected = upgraded::accept;
        return new WebSocketProtocolHandshakeHandler(List.of(new Hybi13Handshake()), connected, ResponseCodeHandler.HANDLE_404);
    }
}
