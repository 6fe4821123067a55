package org.classtop.core.http;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import org.classtop.api.server.ApiException;

/**
 * The first handler of every request: checks the URL and the headers and decodes the path and the
 * query, once, answering anything malformed with the JSON envelope (400, 414 or 431 and a sentence).
 * <p>
 * Undertow's parser answers what it refuses itself, with an empty 400 and a closed connection, and has
 * no hook to give that answer a body. So the listener is set up ({@link #configure}) to let such requests
 * through to here: it leaves URLs undecoded and accepts any character in them, and its own size limits
 * sit above the ones checked here. What exceeds even those (a request head over
 * {@value #PARSER_MAX_HEAD_BYTES} bytes, over {@value #PARSER_MAX_HEADERS} headers or over
 * {@value #PARSER_MAX_QUERY_PARAMETERS} query parameters) still gets Undertow's empty 400.
 */
public final class RequestGate implements HttpHandler {
    static final int MAX_URL_CHARS = 8 * 1024;
    static final int MAX_HEADERS = 100;
    static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int MAX_QUERY_PARAMETERS = 1000;
    /** Undertow's limits, where its parser gives up (see the class comment). */
    static final int PARSER_MAX_HEAD_BYTES = 2 << 20;
    static final int PARSER_MAX_HEADERS = 1000;
    static final int PARSER_MAX_QUERY_PARAMETERS = MAX_URL_CHARS / 2 + 1;
    /**
     * A refused body (over {@link ExchangeApiRequest#MAX_BODY_BYTES}) is still read and thrown away up to
     * this size after the 413 is sent, so the client, still sending, sees the answer and not a reset connection.
     */
    static final long MAX_DRAINED_BODY_BYTES = 16L << 20;

    private final HttpHandler next;

    public RequestGate(HttpHandler next) {
        this.next = next;
    }

    /** The listener options this handler relies on. */
    public static Undertow.Builder configure(Undertow.Builder builder) {
        return builder
                .setServerOption(UndertowOptions.DECODE_URL, false)
                .setServerOption(UndertowOptions.ALLOW_UNESCAPED_CHARACTERS_IN_URL, true)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, PARSER_MAX_HEAD_BYTES)
                .setServerOption(UndertowOptions.MAX_HEADERS, PARSER_MAX_HEADERS)
                .setServerOption(UndertowOptions.MAX_PARAMETERS, PARSER_MAX_QUERY_PARAMETERS)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, MAX_DRAINED_BODY_BYTES);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        try {
            checkHeaders(exchange);
            checkUrl(exchange);
            String path = PercentEncoding.decodePath(exchange.getRequestPath(), true);
            exchange.setRequestPath(path);
            exchange.setRelativePath(path);
            decodeQuery(exchange);
        } catch (ApiException refused) {
            ResponseWriter.error(exchange, refused);
            return;
        }
        next.handleRequest(exchange);
    }

    private static void checkHeaders(HttpServerExchange exchange) {
        int count = 0;
        long bytes = 0;
        for (HeaderValues values : exchange.getRequestHeaders()) {
            for (String value : values) {
                count++;
                bytes += values.getHeaderName().length() + value.length() + 4;
            }
        }
        if (count > MAX_HEADERS) {
            throw new ApiException(431, "REQUEST_HEADERS_TOO_LARGE", "The request has " + count
                    + " headers; the limit is " + MAX_HEADERS + ".");
        }
        if (bytes > MAX_HEADER_BYTES) {
            throw new ApiException(431, "REQUEST_HEADERS_TOO_LARGE", "The request's headers are larger than the limit of "
                    + MAX_HEADER_BYTES / 1024 + " KiB.");
        }
    }

    private static void checkUrl(HttpServerExchange exchange) {
        String target = exchange.getRequestURI();
        String query = exchange.getQueryString();
        if (target.length() + query.length() > MAX_URL_CHARS) {
            throw new ApiException(414, "URI_TOO_LONG", "The URL is longer than the limit of " + MAX_URL_CHARS / 1024 + " KiB.");
        }
        checkCharacters(target);
        checkCharacters(query);
    }

    /** What RFC 3986 allows unencoded in a request target (Undertow's parser refuses the same by default). */
    private static void checkCharacters(String part) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c <= ' ' || c >= 0x7f || "\"#<>\\^`{|}".indexOf(c) >= 0) {
                throw ApiException.badRequest("The URL has a character that must be percent-encoded"
                        + (c > ' ' && c < 0x7f ? " ('" + c + "')" : "") + ".");
            }
        }
    }

    private static void decodeQuery(HttpServerExchange exchange) {
        var parameters = exchange.getQueryParameters();
        parameters.clear();
        String query = exchange.getQueryString();
        if (query.isEmpty()) {
            return;
        }
        int count = 0;
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            if (++count > MAX_QUERY_PARAMETERS) {
                throw ApiException.badRequest("The URL has more than " + MAX_QUERY_PARAMETERS + " query parameters.");
            }
            int equals = pair.indexOf('=');
            String name = PercentEncoding.decodeQuery(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : PercentEncoding.decodeQuery(pair.substring(equals + 1));
            exchange.addQueryParam(name, value);
        }
    }
}
