package org.classtop.it.boundary;

import jakarta.inject.Inject;
import java.util.Map;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerPlugin;

/** Plugin 'clock-reader' (Plugin-Dependencies: clock): injects the provider's {@link Clock}. */
public final class ClockConsumer {
    private ClockConsumer() {
    }

    public static final class Server extends ServerPlugin {
        @Override
        protected void configure() {
            route(HttpMethod.GET, "/api/clock-reader/tick").summary("Ticks the clock plugin's clock").to(Tick.class);
        }
    }

    public static final class Agent extends AgentPlugin {
        @Override
        protected void configure() {
            command("clock_tick").description("Ticks the clock plugin's clock on the agent").to(AgentTick.class);
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

    public static final class AgentTick implements CommandHandler {
        private final Clock clock;

        @Inject
        public AgentTick(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Object handle(CommandRequest request) {
            return Map.of("tick", clock.tick());
        }
    }
}
