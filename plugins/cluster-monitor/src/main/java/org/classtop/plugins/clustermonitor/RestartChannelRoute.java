package org.classtop.plugins.clustermonitor;

import jakarta.inject.Inject;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;

/**
 * {@code POST /api/servers/{id}/channels/{channel_id}/restart}: stop, then start, answered when both are
 * done (or one failed); the server is polled again right after.
 */
public final class RestartChannelRoute implements RouteHandler {
    private final RestartService restarts;
    private final Poller poller;

    @Inject
    public RestartChannelRoute(RestartService restarts, Poller poller) {
        this.restarts = restarts;
        this.poller = poller;
    }

    @Override
    public Object handle(ApiRequest request) {
        String serverId = request.pathParam("id");
        String who = request.caller() == null ? "unknown" : request.caller().name();
        return restarts.restart(serverId, request.pathParam("channel_id"), RestartRecord.MANUAL, who)
                .whenComplete((record, error) -> poller.pollSoon(serverId));
    }
}
