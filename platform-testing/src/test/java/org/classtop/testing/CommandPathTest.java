package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.CommandRequest;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerPlugin;
import org.classtop.core.commands.CommandBus;
import org.classtop.core.config.ServerConfig.EnrollmentMode;
import org.classtop.core.storage.PlatformDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command path as a plugin uses it: the request builder (a relay's own request id and requester),
 * {@code sendAll} fan-out, and the thread a continuation runs on (its own pool: one that blocks does not
 * hold up the storage writer, so other commands are answered and logged meanwhile).
 */
class CommandPathTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TestServer server;
    private static FakeAgent pc1;
    private static FakeAgent pc2;

    /** A plugin using AgentCommands the ways a relay, a fan-out and a slow continuation do. */
    public static final class CommandsPlugin extends ServerPlugin {
        @Override
        protected void configure() {
            route(HttpMethod.POST, "/api/relay/{uuid}").to(Relay.class);
            route(HttpMethod.POST, "/api/fan-out").to(FanOut.class);
            route(HttpMethod.POST, "/api/blocking/{uuid}").to(Blocking.class);
        }
    }

    /** Forwards a command keeping the request id and requester it was given (as a management server's relay). */
    public static final class Relay implements RouteHandler {
        private final AgentCommands commands;

        @Inject
        public Relay(AgentCommands commands) {
            this.commands = commands;
        }

        @Override
        public Object handle(ApiRequest request) {
            Map<String, Object> body = request.bodyAsMap();
            return commands.request(request.pathParam("uuid"), (String) body.get("command"))
                    .params(Map.of("via", "relay"))
                    .requestId((String) body.get("request_id"))
                    .requestedBy((String) body.get("requested_by"))
                    .timeout(body.get("timeout") == null ? null : Duration.ofSeconds(((Number) body.get("timeout")).longValue()))
                    .send();
        }
    }

    public static final class FanOut implements RouteHandler {
        private final AgentCommands commands;

        @Inject
        public FanOut(AgentCommands commands) {
            this.commands = commands;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Object handle(ApiRequest request) {
            Map<String, Object> body = request.bodyAsMap();
            return commands.sendAll((List<String>) body.get("clients"), "ping", Map.of(),
                    each -> each.requestedBy(request.caller()));
        }
    }

    static final CountDownLatch blockingEntered = new CountDownLatch(1);
    static final CountDownLatch releaseBlocking = new CountDownLatch(1);
    static final AtomicReference<String> continuationThread = new AtomicReference<>();

    /** A continuation that blocks until the test releases it (a plugin doing slow work in thenApply). */
    public static final class Blocking implements RouteHandler {
        private final AgentCommands commands;

        @Inject
        public Blocking(AgentCommands commands) {
            this.commands = commands;
        }

        @Override
        public Object handle(ApiRequest request) {
            return commands.send(request.pathParam("uuid"), "ping", Map.of()).thenApply(answer -> {
                continuationThread.set(Thread.currentThread().getName());
                blockingEntered.countDown();
                try {
                    releaseBlocking.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Map.of("blocked_then", answer);
            });
        }
    }

    @BeforeAll
    static void start() {
        server = TestServer.builder().enrollment(EnrollmentMode.OPEN).plugin("commands-test", new CommandsPlugin()).start();
        pc1 = new FakeAgent("path-pc-1").on("ping", p -> Map.of("pong", 1, "params", p));
        pc1.register(server.wsUrl("path-pc-1"), "Room 1", Map.of());
        pc1.await("registered", WAIT);
        pc2 = new FakeAgent("path-pc-2").on("ping", p -> Map.of("pong", 2)).silent();
        pc2.register(server.wsUrl("path-pc-2"), "Room 2", Map.of());
        pc2.await("registered", WAIT);
    }

    @AfterAll
    static void stop() {
        pc1.close();
        pc2.close();
        server.close();
    }

    private static JsonNode logged(String requestId) {
        ApiResult history = server.api().get("/api/commands?client=path-pc-1&limit=1000");
        assertEquals(200, history.status(), history.toString());
        for (JsonNode row : history.data()) {
            if (requestId.equals(row.path("request_id").asText())) {
                return row;
            }
        }
        return null;
    }

    @Test
    void everyRestAnswerIsInTheCommandLogWhenTheCallerSeesIt() {
        for (int n = 0; n < 30; n++) {
            ApiResult answer = server.api().post("/api/clients/path-pc-1/command",
                    Map.of("command", "ping", "params", Map.of("n", n)));
            assertEquals(200, answer.status(), answer.toString());
            assertEquals(n, answer.data().path("params").path("n").asInt(), answer.toString());
            JsonNode newest = server.api().get("/api/commands?client=path-pc-1&limit=1").data().path(0);
            assertEquals(n, newest.path("params").path("n").asInt(), newest.toString());
            assertEquals("ok", newest.path("status").asText(), newest.toString());
        }
    }

    @Test
    void theCommandFrameCarriesTheParametersAsSent() {
        Map<String, Object> params = Map.of("text", "é \"quoted\" \u2028", "list", List.of(1, 2.5, true), "nested", Map.of("k", "v"));
        ApiResult answer = server.api().post("/api/clients/path-pc-1/command", Map.of("command", "ping", "params", params));
        assertEquals(200, answer.status(), answer.toString());
        JsonNode sent = answer.data().path("params");
        assertEquals("é \"quoted\" \u2028", sent.path("text").asText());
        assertEquals(2.5, sent.path("list").path(1).asDouble());
        assertEquals("v", sent.path("nested").path("k").asText());
        JsonNode frame = pc1.history().stream().filter(f -> "command".equals(f.path("type").asText())
                && f.path("params").has("nested")).findFirst().orElseThrow();
        assertTrue(frame.path("request_id").asText().startsWith("req_"), frame.toString());
        assertTrue(frame.path("deadline").isNumber(), frame.toString());
    }

    @Test
    void aRelayKeepsItsRequestIdAndRequester() {
        ApiResult answer = server.api().post("/api/relay/path-pc-1",
                Map.of("command", "ping", "request_id", "mgmt-7:req_42", "requested_by", "management:alice"));
        assertEquals(200, answer.status(), answer.toString());
        JsonNode frame = pc1.history().stream()
                .filter(f -> "mgmt-7:req_42".equals(f.path("request_id").asText())).findFirst().orElseThrow();
        assertEquals("command", frame.path("type").asText());
        JsonNode row = logged("mgmt-7:req_42");
        assertEquals("management:alice", row.path("requested_by").asText(), row.toString());
        assertEquals("ok", row.path("status").asText(), row.toString());
    }

    @Test
    void aRequestIdThatIsNotPlainTextIsRefusedWithASentence() {
        for (String bad : List.of("has space", "x".repeat(65), "é", "semi;colon")) {
            ApiResult answer = server.api().post("/api/relay/path-pc-1", Map.of("command", "ping", "request_id", bad));
            assertEquals(400, answer.status(), answer.toString());
            assertTrue(answer.error().startsWith("A request id must be 1 to 64 characters"), answer.error());
        }
        ApiResult longRequester = server.api().post("/api/relay/path-pc-1",
                Map.of("command", "ping", "requested_by", "r".repeat(129)));
        assertEquals(400, longRequester.status(), longRequester.toString());
        assertEquals("Who requested a command must be named in at most 128 characters.", longRequester.error());
    }

    @Test
    void aRequestIdStillWaitingForItsAnswerCannotBeReused() throws Exception {
        CompletableFuture<ApiResult> first = CompletableFuture.supplyAsync(() -> server.api().post("/api/relay/path-pc-2",
                Map.of("command", "ping", "request_id", "dup-1", "timeout", 60)));
        pc2.await(f -> "dup-1".equals(f.path("request_id").asText()), WAIT, "the first command");
        ApiResult second = server.api().post("/api/relay/path-pc-1", Map.of("command", "ping", "request_id", "dup-1"));
        assertEquals(409, second.status(), second.toString());
        assertEquals("REQUEST_ID_IN_USE", second.code());
        assertFalse(first.isDone(), "the first command still waits for its answer");
        // The silent agent answers by hand: the first command completes, and its id is free again.
        pc2.sendJson(Map.of("type", "response", "request_id", "dup-1", "success", true, "data", Map.of("late", true)));
        assertEquals(200, first.get(10, TimeUnit.SECONDS).status());
        ApiResult again = server.api().post("/api/relay/path-pc-1", Map.of("command", "ping", "request_id", "dup-1"));
        assertEquals(200, again.status(), again.toString());
    }

    @Test
    void thePluginsInjectedCommandsNameThePluginWhenNobodyIsNamed() {
        ApiResult answer = server.api().post("/api/relay/path-pc-1", Map.of("command", "ping", "request_id", "own-0"));
        assertEquals(200, answer.status(), answer.toString());
        assertEquals("plugin:commands-test", logged("own-0").path("requested_by").asText());
    }

    @Test
    void aPluginsOwnCommandsNameThePluginUnlessItNamesSomeone() throws Exception {
        AgentCommands pluginCommands = server.server().injector().getInstance(CommandBus.class).forPlugin("commands-test");
        pluginCommands.request("path-pc-1", "ping").requestId("own-1").send().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals("plugin:commands-test", logged("own-1").path("requested_by").asText());
        pluginCommands.request("path-pc-1", "ping").requestId("own-2").requestedBy("alice").send()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals("alice", logged("own-2").path("requested_by").asText());
    }

    @Test
    void sendAllAnswersPerClientInTheOrderGiven() {
        ApiResult answer = server.api().post("/api/fan-out",
                Map.of("clients", List.of("path-pc-1", "no-such-pc", "path-pc-1")));
        assertEquals(200, answer.status(), answer.toString());
        JsonNode results = answer.data();
        List<String> order = new ArrayList<>();
        results.fieldNames().forEachRemaining(order::add);
        assertEquals(List.of("path-pc-1", "no-such-pc"), order, "duplicates once, order kept");
        assertTrue(results.path("path-pc-1").path("success").asBoolean(), results.toString());
        assertEquals(1, results.path("path-pc-1").path("data").path("pong").asInt(), results.toString());
        assertFalse(results.path("no-such-pc").path("success").asBoolean());
        assertEquals("CLIENT_NOT_FOUND", results.path("no-such-pc").path("code").asText());
    }

    @Test
    void sendAllToTooManyClientsIsRefused() {
        List<String> clients = new ArrayList<>();
        for (int i = 0; i <= AgentCommands.MAX_FAN_OUT; i++) {
            clients.add("pc-" + i);
        }
        ApiResult answer = server.api().post("/api/fan-out", Map.of("clients", clients));
        assertEquals(400, answer.status(), answer.toString());
        assertEquals("A command can go to at most 10000 clients at once, not 10001.", answer.error());
    }

    @Test
    void aBlockingContinuationDoesNotStallOtherCommandsOrTheirLogRows() throws Exception {
        CompletableFuture<ApiResult> blocked = CompletableFuture.supplyAsync(() -> server.api().post("/api/blocking/path-pc-1", Map.of()));
        assertTrue(blockingEntered.await(10, TimeUnit.SECONDS), "the plugin's continuation runs");
        assertTrue(continuationThread.get().startsWith("classtop-command-"), continuationThread.get());
        try {
            // While that continuation blocks, another command is answered, which means its log row was committed.
            ApiResult other = server.api().post("/api/clients/path-pc-1/command", Map.of("command", "ping", "params", Map.of("n", 7)));
            assertEquals(200, other.status(), other.toString());
            assertEquals(7, other.data().path("params").path("n").asInt());
            assertFalse(blocked.isDone(), "the blocking continuation still holds its own answer");
            JsonNode row = server.api().get("/api/commands?client=path-pc-1&limit=1").data().get(0);
            assertEquals("ok", row.path("status").asText(), row.toString());
            assertEquals("admin-token", row.path("requested_by").asText(), "the REST caller is passed explicitly: " + row);
        } finally {
            releaseBlocking.countDown();
        }
        ApiResult answer = blocked.get(10, TimeUnit.SECONDS);
        assertEquals(200, answer.status(), answer.toString());
        assertEquals(1, answer.data().path("blocked_then").path("pong").asInt());
    }

    @Test
    void onlyTheBusOwnRequestsAreSentForAnHttpAnswer() throws InterruptedException {
        CommandBus bus = server.server().injector().getInstance(CommandBus.class);
        CommandRequest foreign = (CommandRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {CommandRequest.class}, (proxy, method, args) -> null);
        assertEquals("Not a request of this command bus.",
                assertThrows(IllegalArgumentException.class, () -> bus.sendForHttpAnswer(foreign)).getMessage());
        // the bus's own request: its stage completes on the storage writer, right after the log row's commit
        // (the writer is held until the continuation is registered, so it cannot run on this thread instead)
        CountDownLatch writerHeld = new CountDownLatch(1);
        CountDownLatch releaseWriter = new CountDownLatch(1);
        server.server().injector().getInstance(PlatformDatabase.class).write(c -> {
            writerHeld.countDown();
            try {
                releaseWriter.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        assertTrue(writerHeld.await(10, TimeUnit.SECONDS), "the writer runs the holding write");
        AtomicReference<String> completedOn = new AtomicReference<>();
        CompletableFuture<Object> stage = bus.sendForHttpAnswer(bus.request("path-pc-1", "ping").params(Map.of("n", 3)))
                .whenComplete((value, error) -> completedOn.set(Thread.currentThread().getName()))
                .toCompletableFuture();
        releaseWriter.countDown();
        Object answer = stage.join();
        assertEquals("classtop-db-writer", completedOn.get());
        assertEquals(3, ((Map<?, ?>) ((Map<?, ?>) answer).get("params")).get("n"), String.valueOf(answer));
    }
}
