package org.classtop.core.http;

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

/**
 * {@link ApiRequest} over an Undertow exchange; the body is read (blocking, on a worker thread) on first use,
 * unless it was read already without blocking ({@link #keepBody}).
 */
final class ExchangeApiRequest implements ApiRequest {
    static final int MAX_BODY_BYTES = 1 << 20;

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
        return JsonBody.read(requireBody(), type);
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
}
