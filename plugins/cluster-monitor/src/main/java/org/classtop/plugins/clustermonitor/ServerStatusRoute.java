package org.classtop.plugins.clustermonitor;

import jakarta.inject.Inject;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;

/** {@code GET /api/servers/{id}/status[?history=true]}: the cached status; 404 {@code SERVER_NOT_FOUND}. */
public final class ServerStatusRoute implements RouteHandler {
    private final ServerDirectory directory;
    private final Poller poller;

    @Inject
    public ServerStatusRoute(ServerDirectory directory, Poller poller) {
        this.directory = directory;
        this.poller = poller;
    }

    @Override
    public Object handle(ApiRequest request) {
        MediaServer server = directory.require(request.pathParam("id"));
        return poller.status(server, request.queryFlag("history"));
    }
}
