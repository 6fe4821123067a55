package org.classtop.plugins.clustermonitor;

import jakarta.inject.Inject;
import java.util.List;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;

/** {@code GET /api/servers[?history=true]}: every server with its cached status, from the cache only. */
public final class ListServersRoute implements RouteHandler {
    private final ServerDirectory directory;
    private final Poller poller;

    @Inject
    public ListServersRoute(ServerDirectory directory, Poller poller) {
        this.directory = directory;
        this.poller = poller;
    }

    @Override
    public Object handle(ApiRequest request) {
        boolean history = request.queryFlag("history");
        List<MediaServer> servers = directory.servers();
        return servers.stream().map(server -> ServerView.of(server, poller, history)).toList();
    }
}
