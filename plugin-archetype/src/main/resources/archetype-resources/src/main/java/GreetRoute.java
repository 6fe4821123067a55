package ${package};

import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;

/** {@code POST /api/${pluginId}/{uuid}/greet} {"text":..}: the agent greets, the server keeps what it said. */
final class GreetRoute implements RouteHandler {
    static final int MAX_TEXT = 200;

    record Body(String text) {
    }

    private final AgentCommands agents;
    private final Greetings greetings;

    @Inject
    GreetRoute(AgentCommands agents, Greetings greetings) {
        this.agents = agents;
        this.greetings = greetings;
    }

    @Override
    public Object handle(ApiRequest request) {
        String uuid = request.pathParam("uuid");
        String text = request.body(Body.class).text();
        if (text == null || text.isBlank() || text.length() > MAX_TEXT) {
            throw ApiException.badRequest("The greeting needs a text of 1 to " + MAX_TEXT + " characters.");
        }
        // Answer when the agent has answered and the row is written, without holding a thread meanwhile.
        CompletionStage<Object> answer = agents.send(uuid, ServerSide.GREET, Map.of("text", text.strip()));
        return answer.thenCompose(data -> greetings.add(uuid, String.valueOf(((Map<?, ?>) data).get("said"))));
    }
}
