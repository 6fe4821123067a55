package org.classtop.plugins.settings;

import java.util.Map;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;

/** Reads and checks the bodies of the settings routes; every refusal is a 400 with a sentence. */
final class SettingsRequests {
    private SettingsRequests() {
    }

    static String key(ApiRequest request) {
        try {
            return SettingValues.checkKey(request.pathParam("key"));
        } catch (InvalidSettingException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** The {@code value} of a PUT body, as text. */
    static String value(ApiRequest request, String key) {
        Map<String, Object> body = request.bodyAsMap();
        if (!body.containsKey("value")) {
            throw ApiException.badRequest("The body needs a \"value\", e.g. {\"value\":\"dark\"}.");
        }
        try {
            return SettingValues.toText(key, body.get("value"));
        } catch (InvalidSettingException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** The {@code settings} object of a batch body, values as text. */
    static Map<String, String> settings(Map<String, Object> body) {
        if (!body.containsKey("settings")) {
            throw ApiException.badRequest("The body needs \"settings\", e.g. {\"settings\":{\"theme\":\"dark\"}}.");
        }
        try {
            return SettingValues.checkBatch(body.get("settings"));
        } catch (InvalidSettingException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
