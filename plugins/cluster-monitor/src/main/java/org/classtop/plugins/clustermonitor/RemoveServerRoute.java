package org.classtop.plugins.clustermonitor;

import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;

/** {@code DELETE /api/servers/{id}}: removes a server from servers.json; its restart history stays. */
public final class RemoveServerRoute implements RouteHandler {
    private final ServerDirectory directory;

    @Inject
    public RemoveServerRoute(ServerDirectory directory) {
        this.directory = directory;
    }

    @Override
    public Object handle(ApiRequest request) {
        MediaServer removed = directory.remove(request.pathParam("id"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", removed.id());
        answer.put("name", removed.name());
        answer.put("host", removed.host());
        answer.put("port", removed.port());
        answer.put("removed", true);
        return answer;
    }
}
