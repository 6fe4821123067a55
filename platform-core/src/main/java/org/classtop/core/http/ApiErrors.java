package org.classtop.core.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.stream.Collectors;
import org.classtop.api.Failures;
import org.classtop.api.server.ApiException;

/** Turns any failure into the {@link ApiException} the client sees; nothing else leaks (no stack traces). */
public final class ApiErrors {
    private ApiErrors() {
    }

    public static Throwable unwrap(Throwable t) {
        return Failures.unwrap(t);
    }

    /** The API failure for {@code t}, or null when it is an unexpected error (a 500 to log). */
    public static ApiException known(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof ApiException api) {
            return api;
        }
        if (cause instanceof JsonProcessingException json) {
            return fromJson(json);
        }
        return null;
    }

    public static ApiException internal() {
        return new ApiException(500, "INTERNAL_ERROR", "The server failed to handle this request; the error was logged.");
    }

    public static ApiException fromJson(JsonProcessingException e) {
        if (e instanceof MismatchedInputException || (e instanceof JsonMappingException m && !m.getPath().isEmpty())) {
            JsonMappingException mapping = (JsonMappingException) e;
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            String what = field.isEmpty() ? "The request body" : "Field '" + field + "'";
            Class<?> target = e instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
            String expected = expected(target);
            return ApiException.badRequest(expected != null ? what + " must be " + expected + "."
                    : what + " has the wrong type or shape.");
        }
        String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return new ApiException(400, "INVALID_JSON", "The request body is not valid JSON" + where + ": " + brief(e.getOriginalMessage()));
    }

    /** What a JSON value of {@code type} looks like, in words. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return null;
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a JSON object";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a JSON array";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class || type == Short.class
                || type == short.class || type == java.math.BigInteger.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != char.class)) {
            return "a number";
        }
        return null;
    }

    private static String brief(String message) {
        if (message == null) {
            return "unreadable input.";
        }
        String firstLine = message.lines().findFirst().orElse(message);
        int cut = firstLine.indexOf(" (for ");
        if (cut > 0) {
            firstLine = firstLine.substring(0, cut);
        }
        if (firstLine.length() > 200) {
            firstLine = firstLine.substring(0, 200) + "…";
        }
        return firstLine.endsWith(".") ? firstLine : firstLine + ".";
    }
}
