package org.classtop.plugins.clustermonitor;

import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;

/** {@code GET /api/servers/config}: the servers file (and why it cannot be read) and the settings in effect. */
public final class MonitorConfigRoute implements RouteHandler {
    private final ClusterMonitorSettings settings;
    private final ServerDirectory directory;

    @Inject
    public MonitorConfigRoute(ClusterMonitorSettings settings, ServerDirectory directory) {
        this.settings = settings;
        this.directory = directory;
    }

    @Override
    public Object handle(ApiRequest request) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("servers_file", directory.fileStatus());
        answer.putAll(settings.describe());
        Map<String, Object> watchdog = new LinkedHashMap<>();
        watchdog.put("enabled", settings.watchdogEnabled());
        watchdog.put("down_polls", settings.watchdogDownPolls());
        watchdog.put("max_restarts_per_hour", settings.watchdogMaxRestartsPerHour());
        answer.put("watchdog", watchdog);
        return answer;
    }
}
