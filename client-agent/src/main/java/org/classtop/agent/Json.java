package org.classtop.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Map;
import org.classtop.json.JsonMappers;

/** The agent's one JSON mapper (the platform's configuration, {@link JsonMappers}) and the two conversions the protocol needs. */
final class Json {
    static final ObjectMapper MAPPER = JsonMappers.create();

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a JSON object; anything else (an array, a number, bad JSON) is an IllegalArgumentException. */
    static Map<String, Object> readObject(String text) {
        try {
            Map<String, Object> map = MAPPER.readValue(text, OBJECT);
            if (map == null) {
                throw new IllegalArgumentException("the frame is null, not a JSON object");
            }
            return map;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the frame is not a JSON object: " + e.getOriginalMessage(), e);
        }
    }
}
