package org.classtop.plugins.clustermonitor;

import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;
import org.classtop.plugins.clustermonitor.ServerState.HistoryPoint;

/** {@code GET /api/servers/{id}/history}: the last polls (CPU and channels up), oldest first. */
public final class ServerHistoryRoute implements RouteHandler {
    private final ServerDirectory directory;
    private final Poller poller;
    private final ClusterMonitorSettings settings;

    @Inject
    public ServerHistoryRoute(ServerDirectory directory, Poller poller, ClusterMonitorSettings settings) {
        this.directory = directory;
        this.poller = poller;
        this.settings = settings;
    }

    @Override
    public Object handle(ApiRequest request) {
        MediaServer server = directory.require(request.pathParam("id"));
        List<HistoryPoint> points = poller.status(server, true).history();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("server_id", server.id());
        answer.put("poll_interval_seconds", ClusterMonitorSettings.seconds(settings.pollInterval()));
        answer.put("max_points", ServerState.HISTORY_POINTS);
        answer.put("points", points);
        return answer;
    }
}
