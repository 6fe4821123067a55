package org.classtop.it.boundary;

import jakarta.inject.Inject;
import java.util.Map;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerPlugin;

/** Plugin 'clock': exports {@link Clock} on the server and on the agent. */
public final class ClockProvider {
    private ClockProvider() {
    }

    public static final class Server extends ServerPlugin {
        @Override
        protected void configure() {
            export(Clock.class).to(TickingClock.class);
            route(HttpMethod.GET, "/api/clock/tick").summary("The provider's own tick").to(Tick.class);
        }
    }

    public static final class Agent extends AgentPlugin {
        @Override
        protected void configure() {
            export(Clock.class).to(TickingClock.class);
        }
    }

    public static final class Tick implements RouteHandler {
        private final Clock clock;

        @Inject
        public Tick(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Object handle(ApiRequest request) {
            return Map.of("tick", clock.tick(), "instance", System.identityHashCode(clock));
        }
    }
}
