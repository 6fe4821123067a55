package org.classtop.core.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiResponse;
import org.classtop.core.json.Json;

/** Renders the JSON envelope of SPEC section 3: {@code {"success":true,"data":..}} or {@code {"success":false,"error":..,"code":..}}. */
public final class ResponseWriter {
    private ResponseWriter() {
    }

    public static void success(HttpServerExchange exchange, Object result) {
        if (result instanceof ApiResponse response) {
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().put(new HttpString(name), value));
            if (response.rawBytes() != null) {
                exchange.setStatusCode(response.status());
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, response.contentType());
                exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
                exchange.getResponseHeaders().put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
                exchange.getResponseSender().send(ByteBuffer.wrap(response.rawBytes()));
                return;
            }
            envelope(exchange, response.status(), response.data());
            return;
        }
        envelope(exchange, 200, result);
    }

    private static void envelope(HttpServerExchange exchange, int status, Object data) {
        Map<String, Object> body = new LinkedHashMap<>(4);
        body.put("success", true);
        body.put("data", data);
        send(exchange, status, Json.writeBytes(body));
    }

    public static void error(HttpServerExchange exchange, ApiException error) {
        Map<String, Object> body = new LinkedHashMap<>(4);
        body.put("success", false);
        body.put("error", error.getMessage());
        body.put("code", error.code());
        if (error instanceof DetailedApiException detailed) {
            body.put("data", detailed.data());
        }
        if (error.status() == 401) {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"classtop\"");
        }
        if (error instanceof RetryLaterException retry) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, retry.retryAfterSeconds());
        }
        send(exchange, error.status(), Json.writeBytes(body));
    }

    private static void send(HttpServerExchange exchange, int status, byte[] json) {
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
            return;
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseHeaders().put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
        exchange.getResponseSender().send(ByteBuffer.wrap(json));
    }
}
