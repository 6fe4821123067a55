package org.classtop.core.hub;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.classtop.core.json.Json;

/**
 * Reads no more of an agent's frame than its {@code type} needs, with Jackson's streaming parser and no JSON
 * tree: the type when it is the frame's first field (agents write it first), and the whole of a plain
 * heartbeat, which is answered from a prepared frame. Whatever looks unusual is left to the full reading, so
 * that every malformed frame still gets the same answer.
 */
final class FramePeek {
    private static final JsonFactory FACTORY = Json.mapper().getFactory();
    private static final String ACK_PREFIX = "{\"type\":\"heartbeat_ack\",\"timestamp\":";
    private static final String ACK_SERVER_TIME = ",\"server_time\":";

    private FramePeek() {
    }

    /**
     * What one streaming pass over a frame tells: its {@code type} when that is the first field with a string value
     * (else null), and, when asked for, the {@code heartbeat_ack} of a plain heartbeat (else null).
     */
    record Peek(String type, String ack) {
    }

    /** The frame's type when its first field is {@code "type"} with a string value; null otherwise. */
    static String firstType(String text) {
        return peek(text, false).type();
    }

    /**
     * The {@code heartbeat_ack} of a heartbeat frame ({@code {"type":"heartbeat", ...}}, type first) as the full
     * reading would answer it: its numeric {@code timestamp} echoed (the time now when it has none) and the
     * server's time, fields in the same order, numbers written as Jackson writes them. Null when the frame is not
     * such a heartbeat or is anything but well-formed (a repeated key, something after the object, ...).
     */
    static String heartbeatAckOf(String text) {
        return peek(text, true).ack();
    }

    /** Reads the frame once: its first-field type, and with {@code ackHeartbeat} the ack of a plain heartbeat. */
    static Peek peek(String text, boolean ackHeartbeat) {
        if (ackHeartbeat) {
            String ack = plainHeartbeatAck(text);
            if (ack != null) {
                return new Peek("heartbeat", ack);
            }
        }
        String type = null;
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT || parser.nextToken() != JsonToken.FIELD_NAME
                    || !"type".equals(parser.currentName()) || parser.nextToken() != JsonToken.VALUE_STRING) {
                return new Peek(null, null);
            }
            type = parser.getText();
            return new Peek(type, ackHeartbeat && "heartbeat".equals(type) ? restOfHeartbeat(parser) : null);
        } catch (IOException | RuntimeException e) {
            return new Peek(type, null);
        }
    }

    private static final String PLAIN_HEARTBEAT = "{\"type\":\"heartbeat\",\"timestamp\":";

    /**
     * The ack of a heartbeat written exactly as agents write it ({@code {"type":"heartbeat","timestamp":N}}, no
     * spaces, N a JSON number), read without a parser; null for any other shape, which the parser then reads. The
     * echoed number is the parser's: an integer of up to 18 digits as a long, anything else as a double.
     */
    static String plainHeartbeatAck(String text) {
        int end = text.length() - 1;
        int from = PLAIN_HEARTBEAT.length();
        if (end <= from || text.charAt(end) != '}' || !text.startsWith(PLAIN_HEARTBEAT)) {
            return null;
        }
        int kind = jsonNumber(text, from, end);
        if (kind == INTEGER) {
            int digits = end - from - (text.charAt(from) == '-' ? 1 : 0);
            return digits > 18 ? null : heartbeatAck(Long.toString(Long.parseLong(text.substring(from, end))));
        }
        if (kind == FRACTION) {
            double value = Double.parseDouble(text.substring(from, end));
            return Double.isFinite(value) ? heartbeatAck(Double.toString(value)) : null;
        }
        return null;
    }

    private static final int NOT_A_NUMBER = 0;
    private static final int INTEGER = 1;
    private static final int FRACTION = 2;

    /** Whether {@code text[from, end)} is a JSON number (RFC 8259 section 6), and which kind. */
    private static int jsonNumber(String text, int from, int end) {
        int i = from;
        if (text.charAt(i) == '-') {
            i++;
        }
        if (i >= end) {
            return NOT_A_NUMBER;
        }
        if (text.charAt(i) == '0') {
            i++;
        } else if (isDigit(text.charAt(i))) {
            i = digits(text, i, end);
        } else {
            return NOT_A_NUMBER;
        }
        int kind = INTEGER;
        if (i < end && text.charAt(i) == '.') {
            int first = i + 1;
            i = digits(text, first, end);
            if (i == first) {
                return NOT_A_NUMBER;
            }
            kind = FRACTION;
        }
        if (i < end && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < end && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int first = i;
            i = digits(text, first, end);
            if (i == first) {
                return NOT_A_NUMBER;
            }
            kind = FRACTION;
        }
        return i == end ? kind : NOT_A_NUMBER;
    }

    private static int digits(String text, int i, int end) {
        while (i < end && isDigit(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The ack of a heartbeat whose type was just read, or null when the rest is unusual. */
    private static String restOfHeartbeat(JsonParser parser) throws IOException {
        String timestamp = null;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            boolean isTimestamp = "timestamp".equals(parser.currentName());
            token = parser.nextToken();
            if (isTimestamp && (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT)) {
                timestamp = numberAsTreeWrites(parser, token);
                if (timestamp == null) {
                    return null;
                }
            } else if (isTimestamp) {
                timestamp = null;
                parser.skipChildren();
            } else {
                parser.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
            return null;
        }
        return heartbeatAck(timestamp);
    }

    /** The ack of a heartbeat whose numeric timestamp reads {@code timestamp} (null: it had none, the time now is sent). */
    static String heartbeatAck(String timestamp) {
        double now = System.currentTimeMillis() / 1000.0;
        return ACK_PREFIX + (timestamp != null ? timestamp : Double.toString(now)) + ACK_SERVER_TIME + now + "}";
    }

    /** The ack of a heartbeat read as a tree: its numeric timestamp node, or null. */
    static String heartbeatAck(com.fasterxml.jackson.databind.JsonNode timestamp) {
        return heartbeatAck(timestamp == null ? null : timestamp.toString());
    }

    /** A number as a JSON tree node writes it again (integers exactly, fractions as doubles); null if not finite. */
    private static String numberAsTreeWrites(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return switch (parser.getNumberType()) {
                case INT, LONG -> Long.toString(parser.getLongValue());
                default -> parser.getBigIntegerValue().toString();
            };
        }
        double value = parser.getDoubleValue();
        return Double.isFinite(value) ? Double.toString(value) : null;
    }
}
