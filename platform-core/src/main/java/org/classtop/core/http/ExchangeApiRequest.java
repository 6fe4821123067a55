package org.classtop.core.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.Caller;
import org.classtop.api.server.HttpMethod;
import org.classtop.core.json.Json;

/** {@link ApiRequest} over an Undertow exchange; the body is read (blocking, on a worker thread) on first use. */
final class ExchangeApiRequest implements ApiRequest {
    static final int MAX_BODY_BYTES = 1 << 20;

    /** Reads one value and leaves what follows to {@link #body}, which names it (the mapper would only say "wrong shape"). */
    private static final ObjectReader TREE_READER = Json.mapper().reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final HttpServerExchange exchange;
    private final HttpMethod method;
    private final Map<String, String> pathParams;
    private final Caller caller;
    private byte[] body;

    ExchangeApiRequest(HttpServerExchange exchange, HttpMethod method, Map<String, String> pathParams, Caller caller) {
        this.exchange = exchange;
        this.method = method;
        this.pathParams = pathParams;
        this.caller = caller;
    }

    HttpServerExchange exchange() {
        return exchange;
    }

    @Override
    public HttpMethod method() {
        return method;
    }

    @Override
    public String path() {
        return exchange.getRequestPath();
    }

    @Override
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalArgumentException("The route has no path parameter '" + name + "'");
        }
        return value;
    }

    @Override
    public Optional<String> query(String name) {
        var values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.getFirst());
    }

    @Override
    public Map<String, List<String>> queryParams() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        exchange.getQueryParameters().forEach((name, values) -> params.put(name, new ArrayList<>(values)));
        return params;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    @Override
    public boolean hasBody() {
        return rawBody().length > 0;
    }

    @Override
    public <T> T body(Class<T> type) {
        byte[] bytes = requireBody();
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
            T value = TREE_READER.forType(type).readValue(parser);
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
                tree = TREE_READER.readTree(parser);
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

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> bodyAsMap() {
        return body(Map.class);
    }

    @Override
    public Caller caller() {
        return caller;
    }

    @Override
    public String remoteAddress() {
        var address = exchange.getSourceAddress();
        return address == null || address.getAddress() == null ? "unknown" : address.getAddress().getHostAddress();
    }

    private byte[] requireBody() {
        byte[] bytes = rawBody();
        if (bytes.length == 0) {
            throw new ApiException(400, "INVALID_JSON", "The request needs a JSON body.");
        }
        return bytes;
    }

    /** The body once read, kept on the exchange: a route's own authenticator and its handler both may read it. */
    private static final io.undertow.util.AttachmentKey<byte[]> BODY = io.undertow.util.AttachmentKey.create(byte[].class);

    /** Keeps a body read without blocking (on the I/O thread) for the route to use. */
    static void keepBody(HttpServerExchange exchange, byte[] bytes) {
        exchange.putAttachment(BODY, bytes);
    }

    private byte[] rawBody() {
        if (body == null) {
            body = exchange.getAttachment(BODY);
        }
        if (body == null) {
            if (exchange.getRequestContentLength() > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            if (!exchange.isBlocking()) {
                exchange.startBlocking();
            }
            // Not closed here: after a refusal Undertow reads and discards the rest once the answer is sent.
            InputStream in = exchange.getInputStream();
            try {
                byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
                if (bytes.length > MAX_BODY_BYTES) {
                    throw tooLarge();
                }
                body = bytes;
                exchange.putAttachment(BODY, bytes);
            } catch (RequestTooBigException e) {
                throw tooLarge();
            } catch (IOException e) {
                throw new ApiException(400, "INVALID_REQUEST", "The request body could not be read to its end.");
            }
        }
        return body;
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "PAYLOAD_TOO_LARGE", "The request body is larger than the limit of 1 MiB.");
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
