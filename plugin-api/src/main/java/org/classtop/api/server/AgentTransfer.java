package org.classtop.api.server;

/**
 * One transfer from an agent, as an {@link AgentStreamReceiver} sees it. {@code id} is unique per
 * connection of that agent; {@code stream} is {@code <plugin-id>.<name>}.
 */
public record AgentTransfer(String clientUuid, String stream, long id) {
}
