package org.classtop.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small REST client for tests: JSON in, {@link ApiResult} out, with a bearer token or a session cookie. */
public final class ApiClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http;
    private final String baseUrl;
    private final Map<String, String> headers;
    private final javax.net.ssl.SSLContext tls;

    public ApiClient(String baseUrl, Map<String, String> headers) {
        this(baseUrl, headers, null);
    }

    /** @param tls the client context for an https base URL (e.g. {@link TestCertificates#trusting}), or null */
    public ApiClient(String baseUrl, Map<String, String> headers, javax.net.ssl.SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
        this.baseUrl = baseUrl;
        this.headers = Map.copyOf(headers);
        this.tls = tls;
    }

    public static ApiClient withToken(String baseUrl, String token) {
        return new ApiClient(baseUrl, token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
    }

    public ApiClient withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiClient(baseUrl, more, tls);
    }

    /** The same server without any credentials. */
    public ApiClient anonymous() {
        return new ApiClient(baseUrl, Map.of(), tls);
    }

    public ApiResult get(String path) {
        return send("GET", path, null);
    }

    public ApiResult delete(String path) {
        return send("DELETE", path, null);
    }

    public ApiResult post(String path, Object body) {
        return send("POST", path, body);
    }

    public ApiResult put(String path, Object body) {
        return send("PUT", path, body);
    }

    /** {@code body} is sent as is when it is a String (so tests can send malformed JSON), else as JSON. */
    public ApiResult send(String method, String path, Object body) {
        try {
            String text = body == null ? null : body instanceof String s ? s : MAPPER.writeValueAsString(body);
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(60))
                    .method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
            if (text != null) {
                builder.header("Content-Type", "application/json");
            }
            headers.forEach(builder::header);
            HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new ApiResult(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends raw bytes (a plugin jar, say) as the body with {@code contentType}. */
    public ApiResult sendBytes(String method, String path, String contentType, byte[] body) {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(60))
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Content-Type", contentType);
            headers.forEach(builder::header);
            HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new ApiResult(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode parse(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    public String baseUrl() {
        return baseUrl;
    }
}
