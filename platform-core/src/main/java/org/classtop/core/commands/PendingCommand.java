package org.classtop.core.commands;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.classtop.core.clients.ClientState;
import org.classtop.core.hub.AgentSession;

/** A command sent to an agent and not yet finished (answered, failed, timed out or offline). */
final class PendingCommand {
    final String requestId;
    final ClientState client;
    final AgentSession session;
    final String command;
    /** The parameters as the command log keeps them: bounded in size. */
    final Map<String, ?> loggedParams;
    final String requestedBy;
    final Instant sentAt = Instant.now();
    final long startNanos = System.nanoTime();
    final CompletableFuture<Object> result = new CompletableFuture<>();
    /** Whether {@link #result} completes on the storage writer's thread instead of the continuation pool. */
    final boolean completesOnWriter;
    /** The answer's size when it is too large for the command log, else 0. */
    volatile int responseCharsNotLogged;
    volatile ScheduledFuture<?> timeout;

    PendingCommand(String requestId, ClientState client, AgentSession session, String command, Map<String, ?> loggedParams,
                   String requestedBy, boolean completesOnWriter) {
        this.requestId = requestId;
        this.client = client;
        this.session = session;
        this.command = command;
        this.loggedParams = loggedParams;
        this.requestedBy = requestedBy;
        this.completesOnWriter = completesOnWriter;
    }
}
