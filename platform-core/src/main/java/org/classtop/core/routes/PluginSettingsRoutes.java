package org.classtop.core.routes;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;
import org.classtop.core.audit.AuditTrail;
import org.classtop.core.plugins.PluginHost;
import org.classtop.core.plugins.PluginSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A plugin's declared settings: read them, and change them (live, or by restarting the plugin). Admins only. */
final class PluginSettingsRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(PluginSettingsRoutes.class);

    private PluginSettingsRoutes() {
    }

    private static String known(PluginHost host, ApiRequest request) {
        String id = request.pathParam("id");
        if (!host.has(id)) {
            throw ApiException.notFound("PLUGIN_NOT_FOUND", "There is no plugin '" + id + "'.");
        }
        return id;
    }

    static final class Get implements RouteHandler {
        private final PluginHost host;
        private final PluginSettings settings;

        @Inject
        Get(PluginHost host, PluginSettings settings) {
            this.host = host;
            this.settings = settings;
        }

        @Override
        public Object handle(ApiRequest request) {
            String id = known(host, request);
            return Map.of("settings", host.settingsOf(id));
        }
    }

    static final class Put implements RouteHandler {
        private final PluginHost host;
        private final PluginSettings settings;
        @Inject
        Put(PluginHost host, PluginSettings settings) {
            this.host = host;
            this.settings = settings;
        }

        @Override
        public Object handle(ApiRequest request) {
            String id = known(host, request);
            JsonNode body = request.hasBody() ? request.body(JsonNode.class) : null;
            if (body == null || !body.isObject() || !body.has("values")) {
                throw ApiException.badRequest("The body must be {\"values\":{\"<setting>\":<value>,...}}.");
            }
            Map<String, String> values = settings.check(id, body.get("values"));
            Map<String, String> before = settings.current(id, values.keySet());
            settings.store(id, values, request.caller() == null ? null : request.caller().name());
            Map<String, String> after = settings.current(id, values.keySet());
            List<String> changed = values.keySet().stream()
                    .filter(name -> !java.util.Objects.equals(before.get(name), after.get(name))).toList();
            boolean live = changed.stream().allMatch(name -> settings.isLive(id, name));
            String applied;
            if (live) {
                applied = "live";
            } else if (host.isRunning(id) || "failed".equals(host.state(id))) {
                host.restart(id);
                applied = "reloaded";
            } else {
                applied = "stored"; // a disabled plugin reads them when it is enabled
            }
            AuditTrail.detail("plugin", id);
            AuditTrail.detail("settings", String.join(",", values.keySet()));
            AuditTrail.detail("applied", applied);
            LOG.info("[{}] settings {} changed by {}: {}", id, changed, request.caller() == null ? "?" : request.caller().name(),
                    applied);
            host.settingsChanged(id); // agents and browsers hear of it (plugins.changed)
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("applied", applied);
            answer.put("settings", host.settingsOf(id));
            return answer;
        }
    }
}
