package org.classtop.plugins.clustermonitor;

import jakarta.inject.Inject;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;

/** {@code GET /api/servers/{id}}: one server, its cached status and its history. */
public final class GetServerRoute implements RouteHandler {
    private final ServerDirectory directory;
    private final Poller poller;

    @Inject
    public GetServerRoute(ServerDirectory directory, Poller poller) {
        this.directory = directory;
        this.poller = poller;
    }

    @Override
    public Object handle(ApiRequest request) {
        return ServerView.of(directory.require(request.pathParam("id")), poller, true);
    }
}
