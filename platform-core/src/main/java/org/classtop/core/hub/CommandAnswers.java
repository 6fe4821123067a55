package org.classtop.core.hub;

import org.classtop.core.clients.ClientState;

/**
 * Where the hub hands what concerns commands in flight: an agent's answer, and the end of a session
 * (its commands fail). Implemented by the command bus, which keeps all pending command state; the hub
 * knows only this interface, so it does not depend on the bus.
 */
public interface CommandAnswers {
    /** An agent's {@code response} frame of {@code frameChars} characters (I/O thread: memory only). */
    void onResponse(AgentSession session, String requestId, boolean success, Object data, int frameChars);

    /** The session closed or was replaced: every command still waiting on it fails as offline. */
    void sessionClosed(AgentSession session, ClientState client);
}
