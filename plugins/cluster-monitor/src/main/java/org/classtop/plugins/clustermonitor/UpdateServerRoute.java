package org.classtop.plugins.clustermonitor;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;

/** {@code PUT /api/servers/{id}}: changes the given fields of a server; the others keep their value. */
public final class UpdateServerRoute implements RouteHandler {
    private final ServerDirectory directory;
    private final Poller poller;

    @Inject
    public UpdateServerRoute(ServerDirectory directory, Poller poller) {
        this.directory = directory;
        this.poller = poller;
    }

    @Override
    public Object handle(ApiRequest request) {
        String id = request.pathParam("id");
        directory.require(id);
        MediaServer server = directory.update(id, request.body(JsonNode.class));
        return ServerView.of(server, poller, false);
    }
}
