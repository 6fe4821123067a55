package org.classtop.plugins.clustermonitor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads a media server's {@code GET /status} answer leniently, since servers differ. What is accepted:
 *
 * <ul>
 *   <li>The answer is a JSON object; when it has neither a CPU figure nor {@code channels} but an object
 *       {@code data}, {@code status} or {@code result}, that object is read instead.</li>
 *   <li>CPU: the first of {@code cpu}, {@code cpu_usage}, {@code cpu_percent}, {@code cpuUsage},
 *       {@code cpuPercent}: a number, a numeric string ({@code "12.5"}, {@code "12.5%"}), or an object with
 *       {@code usage}, {@code percent}, {@code total} or {@code value}. Missing, negative or unreadable:
 *       no CPU figure (null), not an error.</li>
 *   <li>Channels: {@code channels} as a list of objects, a list of ids, or an object of id to channel
 *       object (or to a state string). A channel's id is {@code id}, {@code channel_id} or
 *       {@code channelId} (text or number), else its {@code name}; a channel without either is ignored.
 *       Its name is {@code name} or {@code title} (default: the id). Its state is {@code state} or
 *       {@code status} (text or number), else a boolean {@code running}, {@code active}, {@code online}
 *       or {@code up} (true: {@code running}, false: {@code stopped}); none: unknown (null). At most
 *       {@value #MAX_CHANNELS} channels are read.</li>
 * </ul>
 */
final class StatusParser {
    static final int MAX_CHANNELS = 1_000;
    private static final List<String> CPU_FIELDS = List.of("cpu", "cpu_usage", "cpu_percent", "cpuUsage", "cpuPercent");
    private static final List<String> CPU_INNER_FIELDS = List.of("usage", "percent", "total", "value");
    private static final List<String> WRAPPERS = List.of("data", "status", "result");
    private static final List<String> ID_FIELDS = List.of("id", "channel_id", "channelId");
    private static final List<String> STATE_FIELDS = List.of("state", "status");
    private static final List<String> RUNNING_FLAGS = List.of("running", "active", "online", "up");

    /** A channel as reported. {@code up} is null when the state is unknown. */
    public record Channel(String id, String name, String state, Boolean up) {
    }

    /** A readable status: the CPU figure (null when not reported) and the channels. */
    record Parsed(Double cpu, List<Channel> channels) {
    }

    /** An answer that is not a status at all; the message completes "The status answer …". */
    static final class UnreadableStatusException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableStatusException(String message) {
            super(message, null, false, false);
        }
    }

    private StatusParser() {
    }

    static Parsed parse(JsonNode root, Predicate<String> isUpState) throws UnreadableStatusException {
        if (root == null || !root.isObject()) {
            throw new UnreadableStatusException("is not a JSON object");
        }
        JsonNode status = root;
        if (!hasStatusFields(root)) {
            for (String wrapper : WRAPPERS) {
                JsonNode inner = root.get(wrapper);
                if (inner != null && inner.isObject() && hasStatusFields(inner)) {
                    status = inner;
                    break;
                }
            }
        }
        return new Parsed(cpu(status), channels(status.get("channels"), isUpState));
    }

    private static boolean hasStatusFields(JsonNode node) {
        return node.has("channels") || CPU_FIELDS.stream().anyMatch(node::has);
    }

    static Double cpu(JsonNode status) {
        for (String field : CPU_FIELDS) {
            JsonNode value = status.get(field);
            if (value != null && !value.isNull()) {
                if (value.isObject()) {
                    for (String inner : CPU_INNER_FIELDS) {
                        Double number = number(value.get(inner));
                        if (number != null) {
                            return number;
                        }
                    }
                    return null;
                }
                return number(value);
            }
        }
        return null;
    }

    private static Double number(JsonNode value) {
        if (value == null) {
            return null;
        }
        double number;
        if (value.isNumber()) {
            number = value.asDouble();
        } else if (value.isTextual()) {
            String text = value.asText().trim();
            if (text.endsWith("%")) {
                text = text.substring(0, text.length() - 1).trim();
            }
            try {
                number = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            return null;
        }
        return Double.isFinite(number) && number >= 0 ? number : null;
    }

    private static List<Channel> channels(JsonNode channels, Predicate<String> isUpState) {
        List<Channel> result = new ArrayList<>();
        if (channels == null) {
            return result;
        }
        Set<String> seen = new HashSet<>();
        if (channels.isArray()) {
            for (JsonNode item : channels) {
                if (result.size() >= MAX_CHANNELS) {
                    break;
                }
                Channel channel = item.isObject() ? channel(null, item, isUpState)
                        : item.isTextual() || item.isIntegralNumber() ? new Channel(item.asText(), item.asText(), null, null)
                        : null;
                if (channel != null && seen.add(channel.id())) {
                    result.add(channel);
                }
            }
        } else if (channels.isObject()) {
            for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) channels::fields) {
                if (result.size() >= MAX_CHANNELS) {
                    break;
                }
                JsonNode value = field.getValue();
                Channel channel = value.isObject() ? channel(field.getKey(), value, isUpState)
                        : value.isValueNode() && !value.isNull()
                        ? new Channel(field.getKey(), field.getKey(), value.asText(), isUpState.test(value.asText()))
                        : new Channel(field.getKey(), field.getKey(), null, null);
                if (channel != null && seen.add(channel.id())) {
                    result.add(channel);
                }
            }
        }
        return result;
    }

    private static Channel channel(String key, JsonNode item, Predicate<String> isUpState) {
        String id = text(item, ID_FIELDS);
        String name = text(item, List.of("name", "title"));
        if (id == null) {
            id = key != null ? key : name;
        }
        if (id == null || id.isBlank()) {
            return null;
        }
        String state = text(item, STATE_FIELDS);
        if (state == null) {
            for (String flag : RUNNING_FLAGS) {
                JsonNode value = item.get(flag);
                if (value != null && value.isBoolean()) {
                    state = value.asBoolean() ? "running" : "stopped";
                    break;
                }
            }
        }
        Boolean up = state == null ? null : isUpState.test(state);
        return new Channel(id, name == null ? id : name, state, up);
    }

    private static String text(JsonNode item, List<String> fields) {
        for (String field : fields) {
            JsonNode value = item.get(field);
            if (value != null && (value.isTextual() || value.isNumber() || value.isBoolean())) {
                String text = value.asText().trim();
                if (!text.isEmpty()) {
                    return text.length() > 200 ? text.substring(0, 200) : text;
                }
            }
        }
        return null;
    }
}
