package org.classtop.core.routes;

import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;

/** Query-parameter parsing with the API's error sentences. */
final class Params {
    private Params() {
    }

    static int intQuery(ApiRequest request, String name, int defaultValue, int min, int max) {
        String value = request.query(name).orElse(null);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw ApiException.badRequest("Query parameter '" + name + "' must be between " + min + " and " + max + ".");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Query parameter '" + name + "' must be a whole number, not '" + value + "'.");
        }
    }

    static long longQuery(ApiRequest request, String name) {
        String value = request.query(name).orElse(null);
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Query parameter '" + name + "' must be a whole number, not '" + value + "'.");
        }
    }

    static String stringQuery(ApiRequest request, String name) {
        return request.query(name).map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
    }
}
