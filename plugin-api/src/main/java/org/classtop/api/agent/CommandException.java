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
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");

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
     * A failure with a machine-readable code, e.g. {@code new CommandException("CAMERA_NOT_FOUND", "There is no
     * camera 'cam9'.")}.
     *
     * @param code UPPER_SNAKE, 2 to 64 characters
     * @throws IllegalArgumentException when {@code code} is not UPPER_SNAKE (e.g. the arguments swapped)
     */
    public CommandException(String code, String message) {
        super(message, null, false, false);
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("A command failure code is UPPER_SNAKE (2 to 64 characters), not '" + code + "'.");
        }
        this.code = code;
    }

    /** The code, or null when none was given. */
    public String code() {
        return code;
    }
}
