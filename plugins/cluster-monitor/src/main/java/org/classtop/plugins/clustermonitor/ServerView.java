package org.classtop.plugins.clustermonitor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.classtop.plugins.clustermonitor.ServerState.StatusView;

/**
 * A server as the API shows it: its entry of servers.json and its cached status.
 *
 * @param extra  the entry's other fields, as they are in the file
 * @param status the cached status ({@code state} {@code pending} until the first poll)
 */
public record ServerView(String id, String name, String host, int port, Map<String, JsonNode> extra, StatusView status) {
    static ServerView of(MediaServer server, Poller poller, boolean withHistory) {
        return new ServerView(server.id(), server.name(), server.host(), server.port(), server.extra(),
                poller.status(server, withHistory));
    }
}
