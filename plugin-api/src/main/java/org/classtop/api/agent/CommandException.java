package org.classtop.api.agent;

/**
 * An agent-side command failure: the agent answers {@code {"success":false,"data":{"error":message}}}
 * and the server reports it as {@code COMMAND_FAILED} with this sentence.
 */
public class CommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandException(String message) {
        super(message, null, false, false);
    }

    public CommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
