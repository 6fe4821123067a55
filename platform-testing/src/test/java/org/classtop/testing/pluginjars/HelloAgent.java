package org.classtop.testing.pluginjars;

import java.util.Map;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;
import org.pf4j.Extension;

/** The agent side of the test plugin 'hello'. */
@Extension
public final class HelloAgent extends AgentPlugin {
    @Override
    protected void configure() {
        command("hello_ping").to(Ping.class);
    }

    public static final class Ping implements CommandHandler {
        @Override
        public Object handle(CommandRequest request) {
            return Map.of("pong", true);
        }
    }
}
