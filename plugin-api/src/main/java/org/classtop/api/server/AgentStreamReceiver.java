package org.classtop.api.server;

/**
 * Receives the binary streams the agent side of the same plugin sends (see
 * {@code org.classtop.api.agent.BinaryStreams}); declared with {@code agentStreams("preview.*").to(..)}.
 * Calls for one agent come one at a time, in order, on the platform's stream threads (never an I/O
 * thread), so a receiver may block briefly; while it does, newer live frames of that agent replace
 * older ones and a transfer waits (its agent gets no new credit). Calls for different agents may run
 * at the same time. {@code clientUuid} is always the sending connection's own: an agent cannot write
 * into another agent's stream.
 */
public interface AgentStreamReceiver {
    /** The newest live frame of {@code stream} from {@code clientUuid}; older unread ones were dropped. */
    default void onLiveFrame(String clientUuid, String stream, byte[] frame) throws Exception {
    }

    /** The next chunk of a transfer, in order. Throwing aborts the transfer (the agent is told why). */
    default void onTransferChunk(AgentTransfer transfer, byte[] chunk) throws Exception {
    }

    /** The agent finished the transfer: every chunk has arrived. */
    default void onTransferEnd(AgentTransfer transfer) throws Exception {
    }

    /**
     * The transfer will not complete: the agent aborted it, disconnected, or this receiver threw.
     * {@code reason} is a sentence.
     */
    default void onTransferAbort(AgentTransfer transfer, String reason) {
    }
}
