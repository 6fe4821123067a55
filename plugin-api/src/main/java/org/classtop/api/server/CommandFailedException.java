package org.classtop.api.server;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * An agent answered a command with {@code success:false} (502 {@code COMMAND_FAILED}, with the agent's
 * sentence). {@link #data()} is the agent's {@code data} as it sent it, so that a relay can read fields beside
 * {@code error}; {@link #agentCode()} is its {@code code} ({@code CommandException.withCode(code, message)} on
 * the agent side), so a plugin can answer e.g. 404 for its agent's {@code CAMERA_NOT_FOUND}.
 */
public class CommandFailedException extends ApiException {
    private static final long serialVersionUID = 1L;
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");

    private final transient Object data;
    private final String agentCode;

    public CommandFailedException(String message, Object data) {
        super(502, "COMMAND_FAILED", message);
        this.data = data;
        this.agentCode = data instanceof Map<?, ?> map && map.get("code") instanceof String code
                && CODE.matcher(code).matches() ? code : null;
    }

    /** The agent's {@code data} (maps, lists and values as parsed from JSON), or null. */
    public Object data() {
        return data;
    }

    /** The agent's UPPER_SNAKE {@code code}, or null when it gave none (or something else). */
    public String agentCode() {
        return agentCode;
    }
}
