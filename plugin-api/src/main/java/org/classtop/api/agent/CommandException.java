package org.classtop.api.agent;

import java.util.regex.Pattern;

/**
 * An agent-side command failure: the agent answers {@code {"success":false,"data":{"error":message}}}
 * (plus {@code "code"} when one is given) and the server reports it as {@code COMMAND_FAILED} with this
 * sentence; a server-side plugin reads the code with
 * {@link org.classtop.api.server.CommandFailedException#agentCode()} to answer with a fitting status.
 */
public class CommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final Pattern UPPER_SNAKE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    private final String code;

    public CommandException(String message) {
        super(message, null, false, false);
        this.code = null;
    }

    public CommandException(String message, Throwable cause) {
        super(message, cause);
        this.code = null;
    }

    /**
     * A failure with a machine-readable code (UPPER_SNAKE, e.g. {@code CAMERA_NOT_FOUND}), sent as
     * {@code data.code} next to {@code data.error} so the plugin's server side can map it to a status.
     *
     * @throws IllegalArgumentException when the code is not UPPER_SNAKE (1 to 64 of A-Z, 0-9 and '_', starting
     *                                  with a letter): a programming error of the plugin
     */
    public static CommandException withCode(String code, String message) {
        if (code == null || !UPPER_SNAKE.matcher(code).matches()) {
            throw new IllegalArgumentException("A command failure code must be UPPER_SNAKE (e.g. CAMERA_NOT_FOUND), not '"
                    + code + "'.");
        }
        return new CommandException(code, message, true);
    }

    private CommandException(String code, String message, boolean coded) {
        super(message, null, false, false);
        this.code = code;
    }

    /** The code given with {@link #withCode}, or null. */
    public String code() {
        return code;
    }
}
