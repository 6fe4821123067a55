package org.classtop.agent;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.classtop.api.agent.CommandException;
import org.classtop.api.agent.CommandRequest;

/** A command frame as a handler sees it. */
record AgentCommandRequest(String command, String requestId, Map<String, Object> params) implements CommandRequest {
    AgentCommandRequest {
        params = params == null ? Map.of() : params;
    }

    @Override
    public Optional<String> optionalString(String name) {
        Object value = params.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String text) {
            return Optional.of(text);
        }
        if (value instanceof Boolean || value instanceof Number) {
            return Optional.of(numberOrBooleanText(value));
        }
        String kind = value instanceof Map<?, ?> ? "a JSON object" : value instanceof Collection<?> ? "a list" : "not text";
        throw new CommandException("Command '" + command + "' needs the parameter '" + name + "' as text, but it is "
                + kind + ".");
    }

    private static String numberOrBooleanText(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return String.valueOf(value);
    }
}
