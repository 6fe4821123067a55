package org.classtop.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.Locale;
import org.classtop.api.server.HttpMethod;
import org.classtop.core.Main;
import org.classtop.core.json.Json;

/** OpenAPI 3 of every registered route, plugins included; rebuilt when routes change. */
@Singleton
public final class OpenApiDocument {
    private final RouteRegistry routes;
    private volatile long builtFor = -1;
    private volatile byte[] cached;

    @Inject
    public OpenApiDocument(RouteRegistry routes) {
        this.routes = routes;
    }

    public byte[] json() {
        long version = routes.version();
        if (cached == null || builtFor != version) {
            cached = Json.writeBytes(build());
            builtFor = version;
        }
        return cached;
    }

    ObjectNode build() {
        ObjectNode doc = Json.mapper().createObjectNode();
        doc.put("openapi", "3.0.3");
        ObjectNode info = doc.putObject("info");
        info.put("title", "ClassTop API");
        info.put("version", Main.VERSION);
        info.put("description", "Manage a school's classroom computers. Every answer is `{\"success\":true,\"data\":...}` "
                + "or `{\"success\":false,\"error\":\"<sentence>\",\"code\":\"<CODE>\"}`. Authenticate with "
                + "`Authorization: Bearer <token>` or the session cookie of `POST /api/auth/login`.");
        ObjectNode components = doc.putObject("components");
        ObjectNode schemes = components.putObject("securitySchemes");
        schemes.putObject("bearer").put("type", "http").put("scheme", "bearer");
        schemes.putObject("session").put("type", "apiKey").put("in", "cookie").put("name", "classtop_session");
        ObjectNode error = components.putObject("schemas").putObject("Error");
        error.put("type", "object");
        ObjectNode errorProps = error.putObject("properties");
        errorProps.putObject("success").put("type", "boolean").put("example", false);
        errorProps.putObject("error").put("type", "string").put("example", "Client 'Room 101' (3f2a...) is offline.");
        errorProps.putObject("code").put("type", "string").put("example", "CLIENT_OFFLINE");
        ArrayNode security = doc.putArray("security");
        security.addObject().putArray("bearer");
        security.addObject().putArray("session");

        ObjectNode paths = doc.putObject("paths");
        routes.all().stream()
                .sorted(Comparator.comparing((RouteDefinition r) -> r.template().text()).thenComparing(r -> r.method().ordinal()))
                .forEach(route -> addOperation(paths, route));
        return doc;
    }

    /**
     * Descriptions are CommonMark (Swagger UI renders them, raw HTML included): a route's plain sentence is
     * escaped so that text like {@code <sentence>} or {@code &amp;} shows as written.
     */
    static String asMarkdownText(String text) {
        return text.replace("\\", "\\\\").replace("<", "\\<").replace("&", "\\&");
    }

    private static void addOperation(ObjectNode paths, RouteDefinition route) {
        String path = route.template().text();
        ObjectNode item = paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path);
        ObjectNode op = item.putObject(route.method().name().toLowerCase(Locale.ROOT));
        op.putArray("tags").add(route.owner());
        op.put("summary", route.summary() == null ? route.method() + " " + path : route.summary());
        StringBuilder description = new StringBuilder(route.description() == null ? "" : route.description());
        if (route.required() != null) {
            description.append(description.length() == 0 ? "" : "\n\n").append("Needs the ")
                    .append(route.required().name().toLowerCase(Locale.ROOT)).append(" role.");
        } else {
            op.putArray("security");
        }
        if (route.authenticator() != null) {
            description.append(description.length() == 0 ? "" : "\n\n")
                    .append("Also accepts the plugin's own machine credential instead of a login (see the plugin's documentation).");
        }
        op.put("description", asMarkdownText(description.toString()));
        op.put("operationId", route.owner() + "_" + route.method().name().toLowerCase(Locale.ROOT) + path.replaceAll("[^A-Za-z0-9]+", "_"));
        if (!route.template().parameterNames().isEmpty()) {
            ArrayNode parameters = op.putArray("parameters");
            for (String name : route.template().parameterNames()) {
                ObjectNode p = parameters.addObject();
                p.put("name", name).put("in", "path").put("required", true);
                p.putObject("schema").put("type", "string");
            }
        }
        if (route.method() != HttpMethod.GET && route.method() != HttpMethod.DELETE) {
            ObjectNode media = op.putObject("requestBody").put("required", route.requestExample() != null)
                    .putObject("content").putObject("application/json");
            media.putObject("schema").put("type", "object");
            example(media, route.requestExample());
        }
        ObjectNode responses = op.putObject("responses");
        if (route.produces() != null) {
            responses.putObject("200").put("description", "Success: " + route.produces())
                    .putObject("content").putObject(route.produces()).putObject("schema").put("type", "string")
                    .put("format", "binary");
            errorResponses(responses);
            return;
        }
        if (route.handler() instanceof WebSocketEndpoint) {
            responses.putObject("101").put("description", "Switching to the WebSocket protocol");
            responses.putObject("426").put("description", "A plain GET, without 'Upgrade: websocket'");
            errorResponses(responses);
            return;
        }
        ObjectNode ok = responses.putObject("200").put("description", "Success: {\"success\":true,\"data\":...}");
        ObjectNode okMedia = ok.putObject("content").putObject("application/json");
        okMedia.putObject("schema").put("type", "object");
        if (route.responseExample() != null) {
            ObjectNode envelope = Json.mapper().createObjectNode().put("success", true);
            JsonNode data = parse(route.responseExample());
            if (data != null) {
                envelope.set("data", data);
                okMedia.set("example", envelope);
            }
        }
        errorResponses(responses);
    }

    private static void errorResponses(ObjectNode responses) {
        for (String[] status : new String[][]{{"400", "Bad input"}, {"401", "Not signed in"}, {"403", "Role too low"},
                {"404", "Unknown resource"}}) {
            responses.putObject(status[0]).put("description", status[1]).putObject("content")
                    .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Error");
        }
    }

    private static void example(ObjectNode media, String json) {
        JsonNode parsed = parse(json);
        if (parsed != null) {
            media.set("example", parsed);
        }
    }

    private static JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Json.mapper().readTree(json);
        } catch (Exception e) {
            return null;
        }
    }
}
