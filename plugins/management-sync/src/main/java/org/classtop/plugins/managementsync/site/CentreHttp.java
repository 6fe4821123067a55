package org.classtop.plugins.managementsync.site;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The centre's REST routes as this LMS calls them: JSON in, the envelope out, answers bounded in size. */
final class CentreHttp {
    /** Longest answer read from the centre. */
    static final int MAX_ANSWER_BYTES = 256 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: HTTP status and the parsed envelope (an empty object when it was not JSON). */
    record Answer(int status, JsonNode json) {
        boolean ok() {
            return status / 100 == 2 && json.path("success").asBoolean(true);
        }

        JsonNode data() {
            return json.path("data");
        }

        /** The centre's sentence and code, e.g. {@code The key is not valid. (UNAUTHORIZED)}. */
        String error() {
            String sentence = json.path("error").asText("");
            String code = json.path("code").asText("");
            return "HTTP " + status + (sentence.isEmpty() ? "" : ": " + sentence) + (code.isEmpty() ? "" : " (" + code + ")");
        }

        /** Worth trying again later: the centre is down or overloaded, or did not understand us as a whole. */
        boolean transientFailure() {
            return status == 0 || status == 408 || status == 429 || status >= 500;
        }
    }

    private final HttpClient http;
    private final String base;

    CentreHttp(String base) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    HttpClient client() {
        return http;
    }

    /** POSTs {@code body} (JSON text); a network failure is an IOException. */
    Answer post(String path, String body, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] bytes;
        try (InputStream in = response.body()) {
            bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
        }
        if (bytes.length > MAX_ANSWER_BYTES) {
            throw new IOException("the centre's answer to " + path + " is larger than " + MAX_ANSWER_BYTES + " bytes");
        }
        JsonNode json;
        try {
            json = bytes.length == 0 ? null : JSON.readTree(bytes);
        } catch (IOException e) {
            json = null;
        }
        return new Answer(response.statusCode(), json == null ? JSON.createObjectNode() : json);
    }
}
