package org.classtop.api.server;

/**
 * The outcome of a command to one client of {@link AgentCommands#sendAll}: its answer's {@code data}
 * on success, else the failure's {@code code} and readable sentence.
 */
public record CommandResult(boolean success, Object data, String code, String error) {
    public static CommandResult ok(Object data) {
        return new CommandResult(true, data, null, null);
    }

    public static CommandResult failed(String code, String error) {
        return new CommandResult(false, null, code, error);
    }
}
