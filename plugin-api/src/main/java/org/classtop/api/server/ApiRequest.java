package org.classtop.api.server;

import java.util.List;
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
