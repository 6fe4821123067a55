package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A plugin route reads typed query parameters through ApiRequest; a bad one is a 400 with one sentence. */
class QueryParametersTest {
    private static TestServer server;

    public static final class Search implements RouteHandler {
        @Override
        public Object handle(ApiRequest request) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("text", request.queryText("q").orElse(null));
            answer.put("limit", request.queryInt("limit", 50, 1, 500));
            answer.put("before", request.queryLong("before", 0));
            answer.put("history", request.queryFlag("history"));
            return answer;
        }
    }

    @BeforeAll
    static void start() {
        server = TestServer.builder().plugin("query-test", new ServerPlugin() {
            @Override
            protected void configure() {
                route(HttpMethod.GET, "/api/query-test").summary("Echoes typed query parameters").to(Search.class);
            }
        }).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void typedValuesAndDefaults() {
        ApiResult given = server.api().get("/api/query-test?q=+room%201+&limit=20&before=12345678901&history");
        assertEquals(200, given.status(), given.text());
        assertEquals("room 1", given.data().path("text").asText());
        assertEquals(20, given.data().path("limit").asInt());
        assertEquals(12345678901L, given.data().path("before").asLong());
        assertTrue(given.data().path("history").asBoolean());

        ApiResult defaults = server.api().get("/api/query-test?q=%20&limit=");
        assertTrue(defaults.data().path("text").isNull(), "blank is absent");
        assertEquals(50, defaults.data().path("limit").asInt());
        assertEquals(0, defaults.data().path("before").asLong());
        assertFalse(defaults.data().path("history").asBoolean());
    }

    @Test
    void badValuesAreRefusedWithOneSentence() {
        Map<String, String> refused = Map.of(
                "limit=0", "The query parameter 'limit' must be a whole number from 1 to 500.",
                "limit=ten", "The query parameter 'limit' must be a whole number from 1 to 500.",
                "limit=99999999999", "The query parameter 'limit' must be a whole number from 1 to 500.",
                "before=x1", "The query parameter 'before' must be a whole number, not 'x1'.",
                "history=maybe", "The query parameter 'history' must be true or false.");
        refused.forEach((query, sentence) -> {
            ApiResult result = server.api().get("/api/query-test?" + query);
            assertEquals(400, result.status(), query);
            assertEquals(sentence, result.error(), query);
        });
    }
}
