package org.classtop.api.agent;

import java.util.Map;
import java.util.Optional;

/** A command as an agent-side handler sees it. */
public interface CommandRequest {
    String command();

    String requestId();

    /** The {@code params} object, never null. */
    Map<String, Object> params();

    /** A parameter as text (numbers and booleans are turned into their JSON text). */
    Optional<String> optionalString(String name);

    /** A required text parameter, or a {@link CommandException} naming it. */
    default String requireString(String name) {
        return optionalString(name).orElseThrow(() -> new CommandException(
                "Command '" + command() + "' needs the parameter '" + name + "'."));
    }

    /** A required JSON-object parameter, or a {@link CommandException} naming it. */
    @SuppressWarnings("unchecked")
    default Map<String, Object> requireObject(String name) {
        Object value = params().get(name);
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new CommandException("Command '" + command() + "' needs the parameter '" + name + "' as a JSON object.");
    }
}
