package org.classtop.core.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.classtop.json.JsonMappers;

/** JSON columns: stored as text (the platform's one JSON configuration), read back as plain maps, lists and values. */
final class Json {
    static final ObjectMapper MAPPER = JsonMappers.create();

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
    private static final TypeReference<ArrayList<String>> STRINGS = new TypeReference<>() {};

    private Json() {}

    /** The JSON text of {@code value}; null stays null. */
    static String write(Object value) {
        if (value == null) return null;
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot store the value as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A JSON object column; null or blank gives an empty map. */
    static Map<String, Object> readMap(String json) {
        if (json == null || json.isBlank()) return new LinkedHashMap<>();
        try {
            return MAPPER.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new StorageException("A stored JSON object is malformed: " + e.getOriginalMessage(), e);
        }
    }

    /** A JSON array-of-strings column; null or blank gives an empty list. */
    static List<String> readStrings(String json) {
        if (json == null || json.isBlank()) return new ArrayList<>();
        try {
            return MAPPER.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new StorageException("A stored JSON list is malformed: " + e.getOriginalMessage(), e);
        }
    }

    /** Any JSON column: a map, list, string, number, boolean, or null. */
    static Object readAny(String json) {
        if (json == null) return null;
        try {
            return MAPPER.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new StorageException("A stored JSON value is malformed: " + e.getOriginalMessage(), e);
        }
    }
}
