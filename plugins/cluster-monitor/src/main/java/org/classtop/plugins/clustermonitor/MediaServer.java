package org.classtop.plugins.clustermonitor;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One monitored media server, as in {@code servers.json}: {@code {"id","name","host","port"}} plus any
 * other fields, which are kept as they are (and written back) but not used.
 *
 * @param extra the other fields of the entry, in their order
 */
public record MediaServer(String id, String name, String host, int port, Map<String, JsonNode> extra) {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** Ids that would be shadowed by the literal routes {@code /api/servers/restarts|watchdog|config}. */
    static final Set<String> RESERVED_IDS = Set.of("restarts", "watchdog", "config");
    static final Set<String> FIELDS = Set.of("id", "name", "host", "port");
    static final int MAX_NAME = 128;
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}[A-Za-z0-9_])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}(%[A-Za-z0-9._-]{1,32})?");

    public MediaServer {
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra == null ? Map.of() : extra));
    }

    /** {@code http://host:port} (IPv6 literals in brackets). */
    public String baseUrl() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    public URI uri(String path) {
        return URI.create(baseUrl() + path);
    }

    /** {@code host:port} for sentences. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** "'Encoder 1' (enc-1)" or "'enc-1'" for sentences. */
    public String label() {
        return name.equals(id) ? "'" + id + "'" : "'" + name + "' (" + id + ")";
    }

    /** True when both point at the same upstream (a change of name or extra fields keeps the cached status). */
    boolean sameEndpoint(MediaServer other) {
        return other != null && host.equalsIgnoreCase(other.host) && port == other.port;
    }

    /**
     * Reads an entry of {@code servers.json} or a request body. Numbers are accepted for {@code id} and
     * {@code port} as text or number; a missing or blank {@code name} becomes the id.
     *
     * @throws InvalidServerException with one sentence naming the field
     */
    static MediaServer fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new InvalidServerException("A server must be a JSON object with \"id\", \"name\", \"host\" and \"port\".");
        }
        String id = id(node.get("id"));
        return new MediaServer(id, name(node.get("name"), id), host(node.get("host")), port(node.get("port")), extra(node));
    }

    /** This server with the fields present in {@code changes}; {@code id} must be absent or equal. */
    MediaServer merge(JsonNode changes) {
        if (changes == null || !changes.isObject()) {
            throw new InvalidServerException("The body must be a JSON object with the fields to change, e.g. {\"name\":\"Encoder 1\"}.");
        }
        JsonNode newId = changes.get("id");
        if (newId != null && !newId.isNull() && !id.equals(newId.asText())) {
            throw new InvalidServerException("The id of a server cannot be changed (it is '" + id
                    + "'); remove the server and add it again under the new id.");
        }
        String newName = changes.has("name") ? name(changes.get("name"), id) : name;
        String newHost = changes.has("host") ? host(changes.get("host")) : host;
        int newPort = changes.has("port") ? port(changes.get("port")) : port;
        Map<String, JsonNode> newExtra = new LinkedHashMap<>(extra);
        for (Iterator<Map.Entry<String, JsonNode>> it = changes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (FIELDS.contains(field.getKey())) {
                continue;
            }
            if (field.getValue().isNull()) {
                newExtra.remove(field.getKey());
            } else {
                newExtra.put(field.getKey(), field.getValue());
            }
        }
        return new MediaServer(id, newName, newHost, newPort, newExtra);
    }

    static String id(JsonNode value) {
        String id;
        if (value == null || value.isNull()) {
            throw new InvalidServerException("A server needs an \"id\" (letters, digits, '.', '_' or '-', at most 64).");
        } else if (value.isTextual()) {
            id = value.asText().trim();
        } else if (value.isIntegralNumber()) {
            id = value.asText();
        } else {
            throw new InvalidServerException("\"id\" must be text (letters, digits, '.', '_' or '-'), not " + kind(value) + ".");
        }
        checkId(id);
        return id;
    }

    static void checkId(String id) {
        if (!ID.matcher(id).matches()) {
            throw new InvalidServerException("The server id '" + brief(id) + "' is not valid: use 1 to 64 letters, digits, "
                    + "'.', '_' or '-'.");
        }
        if (RESERVED_IDS.contains(id)) {
            throw new InvalidServerException("The server id '" + id + "' is reserved (it names an API route); choose another.");
        }
    }

    private static String name(JsonNode value, String id) {
        if (value == null || value.isNull()) {
            return id;
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw new InvalidServerException("\"name\" must be text, not " + kind(value) + ".");
        }
        String name = value.asText().trim();
        if (name.isEmpty()) {
            return id;
        }
        if (name.length() > MAX_NAME) {
            throw new InvalidServerException("\"name\" must be at most " + MAX_NAME + " characters long.");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidServerException("\"name\" must not contain control characters.");
        }
        return name;
    }

    private static String host(JsonNode value) {
        if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
            throw new InvalidServerException("A server needs a \"host\": a host name or IP address, e.g. 192.168.2.172.");
        }
        if (!value.isTextual()) {
            throw new InvalidServerException("\"host\" must be text (a host name or IP address), not " + kind(value) + ".");
        }
        String host = value.asText().trim();
        if (host.contains("/") || host.contains("@")) {
            throw new InvalidServerException("\"host\" must be a host name or IP address without http://, a user or a path "
                    + "(e.g. 192.168.2.172), not '" + brief(host) + "'.");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        boolean valid = host.contains(":") ? IPV6.matcher(host).matches() : HOST_NAME.matcher(host).matches();
        if (!valid) {
            throw new InvalidServerException("\"host\" must be a host name or IP address (e.g. 192.168.2.172), not '"
                    + brief(host) + "'" + (host.contains(":") ? "; put the port into \"port\"." : "."));
        }
        return host;
    }

    private static int port(JsonNode value) {
        String range = "\"port\" must be a whole number between 1 and 65535";
        if (value == null || value.isNull()) {
            throw new InvalidServerException("A server needs a \"port\" (1 to 65535).");
        }
        long port;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            port = value.asLong();
        } else if (value.isTextual() && value.asText().trim().matches("[0-9]{1,9}")) {
            port = Long.parseLong(value.asText().trim());
        } else {
            throw new InvalidServerException(range + ", not " + (value.isTextual() ? "'" + brief(value.asText()) + "'"
                    : value.isNumber() ? value.asText() : kind(value)) + ".");
        }
        if (port < 1 || port > 65_535) {
            throw new InvalidServerException(range + ", not " + port + ".");
        }
        return (int) port;
    }

    private static Map<String, JsonNode> extra(JsonNode node) {
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> {
            if (!FIELDS.contains(field.getKey())) {
                extra.put(field.getKey(), field.getValue());
            }
        });
        return extra;
    }

    private static String kind(JsonNode value) {
        if (value.isObject()) {
            return "a JSON object";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isBoolean()) {
            return "true/false";
        }
        if (value.isNumber()) {
            return "a number";
        }
        return value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    static String brief(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "…" : clean;
    }
}
