package org.classtop.plugins.cctv.cameras.agent;

import java.util.regex.Pattern;
import org.classtop.api.agent.CommandException;
import org.classtop.api.agent.CommandRequest;

/** The sentences and codes of this plugin's command failures (the server maps the codes to statuses). */
final class Errors {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private Errors() {
    }

    static CommandException badParams(String sentence) {
        return CommandException.withCode("BAD_PARAMS", sentence);
    }

    static CommandException badSource(String sentence) {
        return CommandException.withCode("BAD_SOURCE", sentence);
    }

    static CommandException notFound(String cameraId) {
        return CommandException.withCode("CAMERA_NOT_FOUND", "There is no camera '" + cameraId + "' on this client.");
    }

    /** A parameter quoted back to the person: at most 64 characters, control characters removed. */
    static String quote(String value) {
        String clean = value.replaceAll("\\p{Cntrl}", "");
        return clean.length() > 64 ? clean.substring(0, 61) + "..." : clean;
    }

    /** The camera_id parameter: present and 1 to 64 of [A-Za-z0-9_-]. */
    static String cameraId(CommandRequest request) {
        return id(request, "camera_id");
    }

    static String id(CommandRequest request, String name) {
        Object value = request.params().get(name);
        if (value == null) {
            throw badParams("Command '" + request.command() + "' needs the parameter '" + name + "'.");
        }
        String text = String.valueOf(value);
        if (!(value instanceof String) || !ID.matcher(text).matches()) {
            throw badParams("The " + name + " '" + quote(text) + "' is not valid: use 1 to 64 letters, digits, '_' or '-'.");
        }
        return text;
    }

    /** An optional number parameter within [min, max], or {@code fallback} when absent. */
    static double number(CommandRequest request, String name, double fallback, double min, double max) {
        Object value = request.params().get(name);
        if (value == null) {
            return fallback;
        }
        double number;
        if (value instanceof Number n) {
            number = n.doubleValue();
        } else if (value instanceof String s && !s.isBlank()) {
            try {
                number = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw badParams("The parameter '" + name + "' must be a number, not '" + quote(s) + "'.");
            }
        } else {
            throw badParams("The parameter '" + name + "' must be a number.");
        }
        if (Double.isNaN(number) || number < min || number > max) {
            throw badParams("The parameter '" + name + "' must be from " + plain(min) + " to " + plain(max) + ", not "
                    + plain(number) + ".");
        }
        return number;
    }

    static int wholeNumber(CommandRequest request, String name, int fallback, int min, int max) {
        double value = number(request, name, fallback, min, max);
        if (value != Math.rint(value)) {
            throw badParams("The parameter '" + name + "' must be a whole number, not " + plain(value) + ".");
        }
        return (int) value;
    }

    static String plain(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.valueOf(value);
    }
}
