package org.classtop.core.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.Map;
import org.classtop.api.server.ApiException;
import org.classtop.core.json.Json;

/** A JSON request body bound to a type, or refused with a 400 that says what is wrong with it. */
public final class JsonBody {
    /** Reads one value and leaves what follows to the caller, which names it (the mapper would only say "wrong shape"). */
    private static final ObjectReader READER = Json.mapper().reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBody() {
    }

    /**
     * The body as {@code type}.
     *
     * @throws ApiException 400 naming what is wrong: not JSON, more after the value, not an object, a field's type
     */
    public static <T> T read(byte[] bytes, Class<T> type) {
        T value = bindDirectly(bytes, type);
        return value != null ? value : bindThroughTree(bytes, type);
    }

    /**
     * The common case in one pass, without a JSON tree: a well-formed object (or, for a type that is not an
     * object, any value) that binds. Null for anything else, which {@link #bindThroughTree} then names.
     */
    private static <T> T bindDirectly(byte[] bytes, Class<T> type) {
        try (JsonParser parser = Json.mapper().createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null || first == JsonToken.VALUE_NULL
                    || (first != JsonToken.START_OBJECT && (Map.class.isAssignableFrom(type) || type.isRecord()))) {
                return null;
            }
            T value = READER.forType(type).readValue(parser);
            return parser.nextToken() == null ? value : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The body read as a tree first, so that what is wrong with it gets its own sentence. */
    private static <T> T bindThroughTree(byte[] bytes, Class<T> type) {
        try {
            JsonNode tree;
            try (JsonParser parser = Json.mapper().createParser(bytes)) {
                tree = READER.readTree(parser);
                if (tree != null && parser.nextToken() != null) {
                    throw new ApiException(400, "INVALID_JSON", "The request body has more after its JSON value (line "
                            + parser.currentLocation().getLineNr() + ", column " + parser.currentLocation().getColumnNr() + ").");
                }
            }
            if (tree == null || tree.isMissingNode()) {
                throw new ApiException(400, "INVALID_JSON", "The request needs a JSON body.");
            }
            if (!tree.isObject() && !type.isInstance(tree) && (Map.class.isAssignableFrom(type) || type.isRecord())) {
                throw ApiException.badRequest("The request body must be a JSON object, not " + describe(tree) + ".");
            }
            T value = Json.mapper().treeToValue(tree, type);
            if (value == null) {
                throw ApiException.badRequest("The request body must be a JSON object, not null.");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw ApiErrors.fromJson(e);
        } catch (IOException e) {
            throw new ApiException(400, "INVALID_JSON", "The request body could not be read.");
        }
    }

    static String describe(JsonNode node) {
        if (node.isArray()) {
            return "an array";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        return node.isNull() ? "null" : "a " + node.getNodeType().name().toLowerCase();
    }
}
