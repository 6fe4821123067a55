package org.classtop.agent;

import java.util.Map;

/** The protocol side of a connection: what to say first and what to do with each frame from the server. */
interface ServerFrameHandler {
    /** The {@code register} frame, built when the socket opens (so it carries the latest credential). */
    Map<String, Object> registerFrame();

    /** One parsed frame from the server; called on the WebSocket's listener thread, so it must not block. */
    void onFrame(AgentConnection connection, Map<String, Object> frame);
}
