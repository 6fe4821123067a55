package org.classtop.it.boundary;

import jakarta.inject.Inject;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerPlugin;
import org.classtop.core.hub.AgentHub;

/** Plugin 'hub-grabber': its route handler wants the core's AgentHub; the plugin must be refused. */
public final class HubGrabber extends ServerPlugin {
    @Override
    protected void configure() {
        route(HttpMethod.GET, "/api/hub-grabber").summary("Never served").to(Grab.class);
    }

    public static final class Grab implements RouteHandler {
        @Inject
        public Grab(AgentHub hub) {
        }

        @Override
        public Object handle(ApiRequest request) {
            return "grabbed";
        }
    }
}
