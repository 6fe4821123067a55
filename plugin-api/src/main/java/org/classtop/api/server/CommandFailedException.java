package org.classtop.api.server;

/**
 * An agent answered a command with {@code success:false} (502 {@code COMMAND_FAILED}). {@link #data()} is the
 * agent's {@code data} as it sent it (a Jackson tree, or null), so that a relay can read fields beside
 * {@code error}, e.g. the {@code code} an LMS reports for the client it relayed to.
 */
public class CommandFailedException extends ApiException {
    private static final long serialVersionUID = 1L;

    private final transient Object data;

    public CommandFailedException(String message, Object data) {
        super(502, "COMMAND_FAILED", message);
        this.data = data;
    }

    /** The agent's {@code data} (a {@code com.fasterxml.jackson.databind.JsonNode} on the server), or null. */
    public Object data() {
        return data;
    }
}
