package org.classtop.plugins.clustermonitor;

import java.util.Locale;
import java.util.Optional;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;

/** Reads and checks query parameters; every refusal is a 400 with a sentence. */
final class Queries {
    private Queries() {
    }

    static boolean flag(ApiRequest request, String name) {
        Optional<String> value = request.query(name).map(v -> v.trim().toLowerCase(Locale.ROOT));
        if (value.isEmpty()) {
            return false;
        }
        switch (value.get()) {
            case "", "true", "1", "yes":
                return true;
            case "false", "0", "no":
                return false;
            default:
                throw ApiException.badRequest("The query parameter '" + name + "' must be true or false.");
        }
    }

    static int integer(ApiRequest request, String name, int fallback, int min, int max) {
        Optional<String> value = request.query(name).map(String::trim).filter(v -> !v.isEmpty());
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.badRequest("The query parameter '" + name + "' must be a whole number from " + min + " to "
                + max + ".");
    }

    static String text(ApiRequest request, String name) {
        return request.query(name).map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
    }
}
