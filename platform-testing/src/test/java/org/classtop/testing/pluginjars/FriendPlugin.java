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
        route(HttpMethod.GET, "/api/friend/slow").to(Slow.class);
    }

    /** Answers after {@code ?ms=} milliseconds (at most 5000): a request that is in flight for a while. */
    public static final class Slow implements RouteHandler {
        @Override
        public Object handle(ApiRequest request) throws Exception {
            int ms = request.queryInt("ms", 1000, 0, 5000);
            Thread.sleep(ms);
            return Map.of("slept_ms", ms);
        }
    }

    public static final class Ping implements RouteHandler {
        @Override
        public Object handle(ApiRequest request) {
            return Map.of("pong", true);
        }
    }
}
