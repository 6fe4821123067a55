package org.classtop.plugins.videosources;

import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.WebSocketHandler;
import org.classtop.api.server.WebSocketSession;
import org.classtop.api.video.VideoFrame;

/**
 * {@code /api/video/{id}/ws}: first a text message {@code {"source_id","window"}} (or {@code {"error"}}
 * and the socket closes), then binary JPEG frames. The browser sends a text message (anything, e.g.
 * {@code "next"}) after each frame it has shown; at most {@code window} frames are unacknowledged, and
 * while the browser is behind the newest frame replaces the waiting one (counted as a drop).
 */
final class LiveSocket implements WebSocketHandler {
    private final VideoService video;
    private final Map<WebSocketSession, SocketSubscriber> viewers = new ConcurrentHashMap<>();

    @Inject
    LiveSocket(VideoService video) {
        this.video = video;
    }

    @Override
    public void onOpen(WebSocketSession session) {
        Source source;
        SocketSubscriber viewer;
        try {
            source = video.require(session.pathParam("id"));
            viewer = new SocketSubscriber(source, session.caller().name() + " (websocket)", session, video.settings().socketWindow);
            video.attach(source, viewer);
        } catch (ApiException refused) {
            session.sendText("{\"error\":" + quote(refused.getMessage()) + ",\"code\":" + quote(refused.code()) + "}");
            session.close();
            return;
        }
        viewers.put(session, viewer);
        session.sendText("{\"source_id\":" + quote(source.id()) + ",\"window\":" + video.settings().socketWindow + "}");
        VideoFrame first = source.latest();
        if (first != null) {
            viewer.offer(first);
        }
        if (!session.isOpen()) {
            onClose(session);
        }
    }

    @Override
    public void onText(WebSocketSession session, String text) {
        SocketSubscriber viewer = viewers.get(session);
        if (viewer != null) {
            viewer.acknowledged();
        }
    }

    @Override
    public void onClose(WebSocketSession session) {
        SocketSubscriber viewer = viewers.remove(session);
        if (viewer != null) {
            viewer.close();
        }
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
