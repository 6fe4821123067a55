package org.classtop.plugins.videosources;

import org.classtop.api.server.WebSocketSession;
import org.classtop.api.video.VideoFrame;

/**
 * A browser WebSocket receiving binary JPEG frames, with a small credit window: at most {@code window}
 * frames unacknowledged; the browser sends a text message after each frame it has shown. Beyond the
 * window the newest frame waits and replaces an older waiting one (counted as a drop), so a slow
 * browser skips frames instead of growing a queue.
 */
final class SocketSubscriber extends Subscriber {
    private final WebSocketSession session;
    private final int window;
    private int credit;
    private VideoFrame waiting;

    SocketSubscriber(Source source, String name, WebSocketSession session, int window) {
        super(source, "websocket", name);
        this.session = session;
        this.window = window;
        this.credit = window;
    }

    @Override
    protected void offer(VideoFrame frame) {
        VideoFrame toSend;
        synchronized (this) {
            if (credit == 0) {
                if (waiting != null) {
                    dropped.incrementAndGet();
                }
                waiting = frame;
                return;
            }
            credit--;
            toSend = frame;
        }
        send(toSend);
    }

    /** The browser acknowledged a frame: send the waiting one, if any. */
    void acknowledged() {
        VideoFrame toSend;
        synchronized (this) {
            if (waiting == null) {
                credit = Math.min(window, credit + 1);
                return;
            }
            toSend = waiting;
            waiting = null;
        }
        send(toSend);
    }

    private void send(VideoFrame frame) {
        if (session.sendBinary(frame.sharedBytes())) {
            delivered.incrementAndGet();
        } else {
            close();
        }
    }

    @Override
    protected void closed() {
        synchronized (this) {
            waiting = null;
        }
        session.close();
    }
}
