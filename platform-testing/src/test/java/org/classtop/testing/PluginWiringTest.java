package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerPlugin;
import org.classtop.core.hub.AgentHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server's plugin wiring seen through the API: an in-process provider's service injected by its
 * consumer, and the loud errors (unfinished declarations, a core class, a missing provider) in GET /api/plugins.
 */
class PluginWiringTest {
    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension(b -> b
            .plugin("counter", new CounterProvider())
            .plugin("counter-reader", List.of("counter"), new CounterReader())
            .plugin("needs-missing", List.of("nowhere"), new CounterReader())
            .plugin("half-route", new HalfRoute())
            .plugin("half-panel", new HalfPanel())
            .plugin("hub-user", new HubUser())
            .plugin("route-twice", new RouteTwice()));

    public interface Counter {
        int next();
    }

    public static final class SharedCounter implements Counter {
        private final AtomicInteger value = new AtomicInteger();

        @Override
        public int next() {
            return value.incrementAndGet();
        }
    }

    public static final class Next implements RouteHandler {
        private final Counter counter;

        @Inject
        public Next(Counter counter) {
            this.counter = counter;
        }

        @Override
        public Object handle(ApiRequest request) {
            return Map.of("next", counter.next());
        }
    }

    public static final class CounterProvider extends ServerPlugin {
        @Override
        protected void configure() {
            export(Counter.class).to(SharedCounter.class);
            route(HttpMethod.GET, "/api/counter/next").to(Next.class);
        }
    }

    public static final class CounterReader extends ServerPlugin {
        @Override
        protected void configure() {
            route(HttpMethod.GET, "/api/counter-reader/next").to(Next.class);
        }
    }

    public static final class HalfRoute extends ServerPlugin {
        @Override
        protected void configure() {
            route(HttpMethod.GET, "/api/half").summary("No handler");
        }
    }

    public static final class HalfPanel extends ServerPlugin {
        @Override
        protected void configure() {
            uiPanel("half").script("static/half-panel/panel.js");
        }
    }

    public static final class RouteTwice extends ServerPlugin {
        @Override
        protected void configure() {
            route(HttpMethod.GET, "/api/route-twice").to(Next.class);
            route(HttpMethod.GET, "/api/route-twice").to(Next.class);
        }
    }

    public static final class HubUser extends ServerPlugin {
        @Override
        protected void configure() {
            route(HttpMethod.GET, "/api/hub-user").to(UsesHub.class);
        }
    }

    public static final class UsesHub implements RouteHandler {
        @Inject
        public UsesHub(AgentHub hub) {
        }

        @Override
        public Object handle(ApiRequest request) {
            return "reached the hub";
        }
    }

    private static JsonNode plugin(String id) {
        ApiResult list = SERVER.get().api().get("/api/plugins");
        assertEquals(200, list.status(), list.toString());
        for (JsonNode p : list.data()) {
            if (id.equals(p.path("id").asText())) {
                return p;
            }
        }
        throw new AssertionError("no plugin '" + id + "' in " + list);
    }

    @Test
    void aConsumerInjectsTheInstanceItsProviderExports() {
        ApiClient api = SERVER.get().api();
        assertEquals(1, api.get("/api/counter/next").data().path("next").asInt());
        assertEquals(2, api.get("/api/counter-reader/next").data().path("next").asInt(), "one shared counter");
        assertEquals(List.of(Counter.class.getName()), texts(plugin("counter").path("exports")));
        assertEquals(List.of("counter"), texts(plugin("counter-reader").path("dependencies")));
        assertEquals("started", plugin("counter-reader").path("state").asText());
    }

    @Test
    void mistakesAreRefusedWithASentenceNamingThem() {
        Map<String, String> expected = Map.of(
                "half-route", "Plugin 'half-route' declares route GET /api/half (call .to(Handler.class)) but never finishes it.",
                "half-panel", "Plugin 'half-panel' declares panel 'half' (call .register()) but never finishes it.",
                "needs-missing", "Plugin 'needs-missing' needs plugin 'nowhere', which is not installed.",
                "route-twice", "Plugin 'route-twice' declares route GET /api/route-twice twice.",
                "hub-user", "Plugin 'hub-user' failed: A plugin injects org.classtop.core.hub.AgentHub, which is not part of plugin-api.");
        expected.forEach((id, error) -> {
            JsonNode p = plugin(id);
            assertEquals("failed", p.path("state").asText(), p.toString());
            assertEquals(error, p.path("error").asText(), p.toString());
        });
        assertEquals(404, SERVER.get().api().get("/api/hub-user").status(), "a failed plugin's routes are gone");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
