package org.classtop.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One REST answer. {@link #json()} is null when the body is not JSON. */
public record ApiResult(int status, Map<String, List<String>> headers, byte[] body) {
    public JsonNode json() {
        return ApiClient.parse(body);
    }

    public JsonNode data() {
        JsonNode json = json();
        return json == null ? null : json.get("data");
    }

    public boolean success() {
        JsonNode json = json();
        return json != null && json.path("success").asBoolean(false);
    }

    public String error() {
        JsonNode json = json();
        return json == null ? null : json.path("error").asText(null);
    }

    public String code() {
        JsonNode json = json();
        return json == null ? null : json.path("code").asText(null);
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
    }

    @Override
    public String toString() {
        return status + " " + text();
    }
}
