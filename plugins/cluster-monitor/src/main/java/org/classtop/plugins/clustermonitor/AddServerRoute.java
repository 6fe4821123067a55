package org.classtop.plugins.clustermonitor;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.ApiResponse;
import org.classtop.api.server.RouteHandler;

/** {@code POST /api/servers}: adds a server to servers.json (201); 400 bad fields, 409 id taken. */
public final class AddServerRoute implements RouteHandler {
    private final ServerDirectory directory;
    private final Poller poller;

    @Inject
    public AddServerRoute(ServerDirectory directory, Poller poller) {
        this.directory = directory;
        this.poller = poller;
    }

    @Override
    public Object handle(ApiRequest request) {
        MediaServer server = directory.add(request.body(JsonNode.class));
        return ApiResponse.created(ServerView.of(server, poller, false));
    }
}
