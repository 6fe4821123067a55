package org.classtop.api.server;

/**
 * How an {@link AgentCommands} stage fails when the agent answered {@code success:false}: 502
 * {@code COMMAND_FAILED} with the agent's sentence, and the agent's own code when it gave one
 * ({@code CommandException.withCode(code, message)} on the agent side), so a plugin can answer e.g. 404 for its
 * agent's {@code CAMERA_NOT_FOUND}.
 */
public final class CommandFailedException extends ApiException {
    private static final long serialVersionUID = 1L;

    private final String agentCode;

    public CommandFailedException(String message, String agentCode) {
        super(502, "COMMAND_FAILED", message);
        this.agentCode = agentCode;
    }

    /** The agent's UPPER_SNAKE code, or null when it gave none. */
    public String agentCode() {
        return agentCode;
    }
}
