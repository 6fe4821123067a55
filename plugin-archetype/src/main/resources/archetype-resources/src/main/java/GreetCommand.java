package ${package};

import jakarta.inject.Inject;
import java.util.Map;
import org.classtop.api.agent.AgentContext;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;

/** Runs on the classroom PC (on the agent's command threads: it may block). */
final class GreetCommand implements CommandHandler {
    private final AgentContext agent;

    @Inject
    GreetCommand(AgentContext agent) {
        this.agent = agent;
    }

    @Override
    public Object handle(CommandRequest request) {
        String said = request.requireString("text") + " from " + agent.clientUuid();
        agent.emit("greeted", Map.of("said", said)); // the event '${pluginId}.greeted'
        return Map.of("said", said);
    }
}
