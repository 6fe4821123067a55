package ${package};

import jakarta.inject.Inject;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;

/** {@code GET /api/${pluginId}/{uuid}/greetings}: what the client said, newest first. */
final class GreetingsRoute implements RouteHandler {
    private final Greetings greetings;

    @Inject
    GreetingsRoute(Greetings greetings) {
        this.greetings = greetings;
    }

    @Override
    public Object handle(ApiRequest request) {
        return greetings.of(request.pathParam("uuid"));
    }
}
