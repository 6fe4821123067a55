package org.classtop.api.server;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One REST request as a handler sees it. Parsing failures surface as 400 {@link ApiException}s. */
public interface ApiRequest {
    HttpMethod method();

    /** The request path, e.g. {@code /api/settings/3f2a.../theme}. */
    String path();

    /** A path parameter of the route template, URL-decoded; never null for a declared parameter. */
    String pathParam(String name);

    Optional<String> query(String name);

    Map<String, List<String>> queryParams();

    /** A query parameter, trimmed; empty when it is absent or blank. */
    default Optional<String> queryText(String name) {
        return query(name).map(String::trim).filter(value -> !value.isEmpty());
    }

    /**
     * A whole-number query parameter from {@code min} to {@code max}; {@code fallback} when it is absent or blank.
     *
     * @throws ApiException 400 with a sentence naming the parameter and the range
     */
    default int queryInt(String name, int fallback, int min, int max) {
        Optional<String> value = queryText(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.badRequest("The query parameter '" + name + "' must be a whole number from " + min + " to "
                + max + ".");
    }

    /** A whole-number query parameter; {@code fallback} when it is absent or blank, else 400. */
    default long queryLong(String name, long fallback) {
        Optional<String> value = queryText(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.get());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("The query parameter '" + name + "' must be a whole number, not '"
                    + value.get() + "'.");
        }
    }

    /**
     * A yes/no query parameter: {@code true}, {@code 1}, {@code yes} or no value ({@code ?history}) is true;
     * {@code false}, {@code 0}, {@code no} or absence is false; anything else is a 400.
     */
    default boolean queryFlag(String name) {
        Optional<String> value = query(name).map(v -> v.trim().toLowerCase(Locale.ROOT));
        if (value.isEmpty()) {
            return false;
        }
        switch (value.get()) {
            case "", "true", "1", "yes":
                return true;
            case "false", "0", "no":
                return false;
            default:
                throw ApiException.badRequest("The query parameter '" + name + "' must be true or false.");
        }
    }

    Optional<String> header(String name);

    /**
     * The JSON body bound to {@code type} (a record, a class, {@code Map.class}).
     *
     * @throws ApiException 400 {@code INVALID_JSON} for malformed JSON or a missing body,
     *                      400 {@code INVALID_REQUEST} when the JSON does not have the expected shape
     */
    <T> T body(Class<T> type);

    /** The JSON body as an object; 400 when it is missing, malformed, or not a JSON object. */
    Map<String, Object> bodyAsMap();

    /** True when the request has a non-empty body. */
    boolean hasBody();

    Caller caller();

    /** The peer's IP address. */
    String remoteAddress();
}
