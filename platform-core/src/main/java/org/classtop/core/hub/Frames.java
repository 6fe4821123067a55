package org.classtop.core.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.classtop.core.json.Json;

/** Reading fields of agent frames, and the error frames sent back. */
final class Frames {
    private Frames() {
    }

    /** A non-blank text field, or null. */
    static String text(JsonNode frame, String field) {
        JsonNode node = frame.get(field);
        return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    /** At most 1,000 strings of at most 128 characters from a JSON array. */
    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(n -> {
                if (n.isTextual() && n.asText().length() <= 128 && values.size() < 1000) {
                    values.add(n.asText());
                }
            });
        }
        return values;
    }

    static String bounded(String value, int maxLength) {
        return value == null || value.length() <= maxLength ? value : value.substring(0, maxLength);
    }

    /** An error frame, at most one every 10 seconds per connection (a misbehaving agent gets told, not flooded). */
    static void notice(AgentSession session, String sentence) {
        if (session.mayNotice()) {
            sendError(session, sentence);
        }
    }

    static void sendError(AgentSession session, String sentence) {
        ObjectNode error = Json.mapper().createObjectNode();
        error.put("type", "error");
        error.put("error", sentence);
        session.send(error.toString());
    }
}
