package org.classtop.plugins.cctv.recording.agent;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.classtop.api.agent.CommandRequest;
import org.classtop.plugins.cctv.recording.CctvFailure;

/** Reads and checks command parameters; every refusal is a BAD_PARAMS sentence naming the parameter. */
final class Params {
    private static final Pattern RECORDING_ID = Pattern.compile("[1-9][0-9]{0,17}");
    private static final Pattern TRANSFER = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private Params() {
    }

    static String cameraId(CommandRequest request) {
        Object value = request.params().get("camera_id");
        if (value == null) {
            throw CctvFailure.badParams("Command '" + request.command() + "' needs the parameter 'camera_id'.");
        }
        String id = String.valueOf(value);
        if (!(value instanceof String) || !SegmentNames.CAMERA_ID.matcher(id).matches()) {
            throw CctvFailure.badParams("The camera id '" + shown(id) + "' is not valid: use 1 to 64 letters, digits, '_' or '-'.");
        }
        return id;
    }

    static long recordingId(CommandRequest request) {
        Object value = request.params().get("id");
        if (value == null) {
            throw CctvFailure.badParams("Command '" + request.command() + "' needs the parameter 'id'.");
        }
        String text = String.valueOf(value);
        if ((value instanceof String || value instanceof Integer || value instanceof Long)
                && RECORDING_ID.matcher(text).matches()) {
            return Long.parseLong(text);
        }
        throw CctvFailure.badParams("The recording id '" + shown(text) + "' is not valid: it must be a positive whole number.");
    }

    /** A whole number from {@code min} to {@code max}, or null when absent. */
    static Long optionalLong(CommandRequest request, String name, long min, long max) {
        Object value = request.params().get(name);
        if (value == null) {
            return null;
        }
        String text = String.valueOf(value);
        if (value instanceof Integer || value instanceof Long || value instanceof String) {
            try {
                long n = Long.parseLong(text.trim());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw CctvFailure.badParams("The parameter '" + name + "' must be a whole number from " + min + " to " + max
                + ", not '" + shown(text) + "'.");
    }

    static long requireLong(CommandRequest request, String name, long min, long max) {
        Long value = optionalLong(request, name, min, max);
        if (value == null) {
            throw CctvFailure.badParams("Command '" + request.command() + "' needs the parameter '" + name + "'.");
        }
        return value;
    }

    static Instant optionalTime(CommandRequest request, String name) {
        Object value = request.params().get(name);
        if (value == null || (value instanceof String s && s.isBlank())) {
            return null;
        }
        if (value instanceof String text) {
            try {
                return OffsetDateTime.parse(text.trim()).toInstant();
            } catch (DateTimeParseException e) {
                // refused below
            }
        }
        throw CctvFailure.badParams("The parameter '" + name + "' must be an ISO-8601 time such as 2026-12-03T08:15:00Z, not '"
                + shown(String.valueOf(value)) + "'.");
    }

    static String transfer(CommandRequest request) {
        Object value = request.params().get("transfer");
        if (value == null) {
            throw CctvFailure.badParams("Command '" + request.command() + "' needs the parameter 'transfer'.");
        }
        String text = String.valueOf(value);
        if (!(value instanceof String) || !TRANSFER.matcher(text).matches()) {
            throw CctvFailure.badParams("The transfer name '" + shown(text) + "' is not valid: use 1 to 64 letters, digits, '_' or '-'.");
        }
        return text;
    }

    /** A parameter as it is echoed in a sentence: at most 64 characters, no control characters. */
    static String shown(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "…" : clean;
    }
}
