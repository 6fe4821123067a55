package org.classtop.plugins.managementsync.centre;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.classtop.api.server.ApiException;

/** Reads a JSON body's fields with the refusals of the API: 400 {@code INVALID_REQUEST} naming the field. */
final class Bodies {
    /** The agent uuid rule of the platform (SPEC section 4). */
    static final Pattern UUID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private Bodies() {
    }

    static ApiException invalid(String sentence) {
        return new ApiException(400, "INVALID_REQUEST", sentence);
    }

    static String uuid(Map<String, Object> body, String field) {
        String value = text(body, field, true, 64);
        if (!UUID.matcher(value).matches()) {
            throw invalid("The field '" + field + "' must be 1 to 64 letters, digits, '.', '_' or '-'.");
        }
        return value;
    }

    static String text(Map<String, Object> body, String field, boolean required, int maxLength) {
        Object value = body.get(field);
        if (value == null) {
            if (required) {
                throw invalid("The field '" + field + "' is required.");
            }
            return null;
        }
        if (!(value instanceof String s)) {
            throw invalid("The field '" + field + "' must be a string.");
        }
        if (required && s.isBlank()) {
            throw invalid("The field '" + field + "' must not be empty.");
        }
        if (s.length() > maxLength) {
            throw invalid("The field '" + field + "' is longer than " + maxLength + " characters.");
        }
        return s;
    }

    static Long whole(Map<String, Object> body, String field, boolean required, long min, long max) {
        Object value = body.get(field);
        if (value == null) {
            if (required) {
                throw invalid("The field '" + field + "' is required.");
            }
            return null;
        }
        if (!(value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger)) {
            throw invalid("The field '" + field + "' must be a whole number from " + min + " to " + max + ".");
        }
        Number n = (Number) value;
        if (value instanceof java.math.BigInteger || n.longValue() < min || n.longValue() > max) {
            throw invalid("The field '" + field + "' must be a whole number from " + min + " to " + max + ".");
        }
        return n.longValue();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> body, String field, boolean required, int maxItems) {
        Object value = body.get(field);
        if (value == null) {
            if (required) {
                throw invalid("The field '" + field + "' is required (a list).");
            }
            return null;
        }
        if (!(value instanceof List<?> list)) {
            throw invalid("The field '" + field + "' must be a list.");
        }
        if (list.size() > maxItems) {
            throw new ApiException(413, "TOO_MANY_ITEMS", "The field '" + field + "' has " + list.size()
                    + " items; at most " + maxItems + " are taken at once.");
        }
        return (List<Object>) list;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String field) {
        if (!(value instanceof Map<?, ?> map)) {
            throw invalid("The field '" + field + "' must be an object.");
        }
        return (Map<String, Object>) map;
    }

    static boolean flag(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw invalid("The field '" + field + "' must be true or false.");
    }
}
