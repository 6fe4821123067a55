package org.classtop.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The platform's one JSON configuration, used by the server (REST bodies and answers, WebSocket
 * frames), its storage (JSON columns) and the agent, so that a value reads and writes the same
 * everywhere:
 * <ul>
 *   <li>snake_case property names, ISO-8601 times, every property written (nulls too), an object
 *       with no properties written as {@code {}};</li>
 *   <li>unknown properties ignored;</li>
 *   <li>strict input: nothing after the value, no key twice, no fraction silently cut to a whole
 *       number, no {@code null} for a primitive, and no {@code ""} read as null (or 0, or false) for
 *       a number, a boolean or an enum.</li>
 * </ul>
 * A mapper is thread-safe once built: each module keeps one.
 */
public final class JsonMappers {
    private JsonMappers() {
    }

    /** A new mapper with the platform's configuration. */
    public static JsonMapper create() {
        return builder().build();
    }

    /** The platform's configuration, for a module that must add to it (e.g. pretty printing for a file). */
    public static JsonMapper.Builder builder() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .serializationInclusion(JsonInclude.Include.ALWAYS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withCoercionConfigDefaults(config -> config.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
    }
}
