package org.classtop.testing.pluginjars;

import java.util.Map;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerPlugin;
import org.pf4j.Extension;

/** A test plugin that depends on 'hello'. */
@Extension
public final class FriendPlugin extends ServerPlugin {
    @Override
    protected void configure() {
        route(HttpMethod.GET, "/api/friend/ping").to(Ping.class);
    }

    public static final class Ping implements RouteHandler {
        @Override
        public Object handle(ApiRequest request) {
            return Map.of("pong", true);
        }
    }
}
