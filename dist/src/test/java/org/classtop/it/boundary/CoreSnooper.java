package org.classtop.it.boundary;

import java.util.Map;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerPlugin;

/** Plugin 'snooper': a route that tries {@code Class.forName} on a core class and says what happened. */
public final class CoreSnooper extends ServerPlugin {
    public static final String CORE_CLASS = "org.classtop.core.hub.AgentHub";

    @Override
    protected void configure() {
        route(HttpMethod.GET, "/api/snooper/for-name").summary("Tries to load a core class").to(ForName.class);
    }

    public static final class ForName implements RouteHandler {
        @Override
        public Object handle(ApiRequest request) {
            try {
                Class.forName(CORE_CLASS);
                return Map.of("result", "loaded");
            } catch (ClassNotFoundException e) {
                return Map.of("result", e.getClass().getSimpleName(), "class", String.valueOf(e.getMessage()));
            }
        }
    }
}
