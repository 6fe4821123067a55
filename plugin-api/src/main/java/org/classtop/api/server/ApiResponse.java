package org.classtop.api.server;

import java.util.Map;
import java.util.Objects;

/**
 * A handler's answer when a plain return value is not enough: another status than 200, or raw
 * bytes (an image) instead of the JSON envelope. Returning any other object means
 * {@code 200 {"success":true,"data":object}}.
 */
public final class ApiResponse {
    private final int status;
    private final Object data;
    private final byte[] bytes;
    private final String contentType;
    private final Map<String, String> headers;

    private ApiResponse(int status, Object data, byte[] bytes, String contentType, Map<String, String> headers) {
        this.status = status;
        this.data = data;
        this.bytes = bytes;
        this.contentType = contentType;
        this.headers = Map.copyOf(headers);
    }

    /** {@code status} with the JSON envelope around {@code data}. */
    public static ApiResponse json(int status, Object data) {
        return new ApiResponse(status, data, null, "application/json", Map.of());
    }

    public static ApiResponse created(Object data) {
        return json(201, data);
    }

    /** Raw bytes, e.g. {@code image/jpeg}; no envelope. */
    public static ApiResponse bytes(String contentType, byte[] bytes) {
        return new ApiResponse(200, null, Objects.requireNonNull(bytes), Objects.requireNonNull(contentType), Map.of());
    }

    public ApiResponse withHeaders(Map<String, String> extra) {
        return new ApiResponse(status, data, bytes, contentType, extra);
    }

    public int status() {
        return status;
    }

    public Object data() {
        return data;
    }

    /** Non-null for a raw answer. */
    public byte[] rawBytes() {
        return bytes;
    }

    public String contentType() {
        return contentType;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
