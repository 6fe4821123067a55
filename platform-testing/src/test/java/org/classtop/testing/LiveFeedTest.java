package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.classtop.core.live.LiveFeed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin UI's live feed ({@code GET /api/live}, Server-Sent Events): who may open it, what it says, and its bound. */
class LiveFeedTest {
    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension();

    /** Reads an SSE stream on a thread of its own and hands over each message's JSON. */
    static final class FeedReader implements AutoCloseable {
        final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        /** test.burst events read so far: the sender paces itself by it. */
        final java.util.concurrent.atomic.AtomicInteger bursts = new java.util.concurrent.atomic.AtomicInteger();
        private final InputStream body;
        private final Thread thread;

        FeedReader(InputStream body) {
            this.body = body;
            this.thread = new Thread(this::read, "feed-reader");
            thread.setDaemon(true);
            thread.start();
        }

        private void read() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                StringBuilder data = new StringBuilder();
                for (String line; (line = reader.readLine()) != null; ) {
                    if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    } else if (line.isEmpty() && data.length() > 0) {
                        JsonNode message = ApiClient.parse(data.toString().getBytes(StandardCharsets.UTF_8));
                        if ("test.burst".equals(message.path("name").asText())) {
                            bursts.incrementAndGet();
                        }
                        messages.add(message);
                        data.setLength(0);
                    }
                }
            } catch (Exception e) {
                // closed
            }
        }

        JsonNode await(String what, Predicate<JsonNode> condition) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                JsonNode message = messages.poll(100, TimeUnit.MILLISECONDS);
                if (message != null && condition.test(message)) {
                    return message;
                }
            }
            throw new AssertionError("The feed did not send " + what + " within 10 s");
        }

        @Override
        public void close() throws Exception {
            body.close();
        }
    }

    private static HttpResponse<InputStream> open(TestServer server, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/live"))
                .header("Accept", "text/event-stream");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void withoutASessionTheFeedAnswers401WithASentence() throws Exception {
        HttpResponse<InputStream> response = open(SERVER.get(), null);
        assertEquals(401, response.statusCode());
        JsonNode body = ApiClient.parse(response.body().readAllBytes());
        assertEquals("UNAUTHORIZED", body.path("code").asText());
        assertTrue(body.path("error").asText().startsWith("Sign in"), body.toString());

        HttpResponse<InputStream> wrongToken = open(SERVER.get(), "Bearer not-a-token");
        assertEquals(401, wrongToken.statusCode());
        assertEquals("INVALID_TOKEN", ApiClient.parse(wrongToken.body().readAllBytes()).path("code").asText());
    }

    @Test
    void aBrowserSeesAgentsComeGoAndChangeWithTheClientsView() throws Exception {
        TestServer server = SERVER.get();
        HttpResponse<InputStream> response = open(server, "Bearer " + server.adminToken());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (FeedReader feed = new FeedReader(response.body())) {
            JsonNode hello = feed.await("hello", m -> m.path("type").asText().equals("hello"));
            assertEquals("admin", hello.path("role").asText());

            FakeAgent agent = server.agent("live-1", "Room 101", a -> a.on("ping", p -> Map.of("pong", true)));
            JsonNode connected = feed.await("client.connected", m -> m.path("name").asText().equals("client.connected"));
            assertEquals("live-1", connected.path("client_uuid").asText());
            assertEquals("online", connected.path("client").path("status").asText());
            assertEquals("Room 101", connected.path("client").path("name").asText());

            agent.stateUpdate(Map.of("screen", "locked"));
            JsonNode changed = feed.await("client.state_changed", m -> m.path("name").asText().equals("client.state_changed"));
            assertEquals("locked", changed.path("client").path("state").path("screen").asText());

            assertEquals(200, server.api().post("/api/clients/live-1/command", Map.of("command", "ping")).status());
            JsonNode commands = feed.await("a commands notice", m -> m.path("type").asText().equals("commands"));
            assertTrue(commands.path("count").asInt() >= 1, commands.toString());

            agent.close();
            JsonNode gone = feed.await("client.disconnected", m -> m.path("name").asText().equals("client.disconnected"));
            assertEquals("offline", gone.path("client").path("status").asText());

            assertEquals(200, server.api().delete("/api/clients/live-1").status());
            JsonNode forgotten = feed.await("client.forgotten", m -> m.path("name").asText().equals("client.forgotten"));
            assertTrue(forgotten.path("client").isNull(), "a forgotten client has no view any more");
        }
    }

    @Test
    void aTabThatStopsReadingIsDisconnectedAndNeverSlowsTheOthers() throws Exception {
        // Events up to 100,000 a minute for this agent: the test is about the feed, not the agent's event bound.
        var d = org.classtop.core.config.ServerConfig.AgentLimits.DEFAULTS;
        try (TestServer server = TestServer.builder().limits(new org.classtop.core.config.ServerConfig.AgentLimits(
                d.maxPendingClients(), d.pendingConnectsPerMinute(), d.maxEventBytes(), 100_000, d.maxUnsentBytes(),
                d.maxCommandBytes())).start()) {
            tabThatStopsReading(server);
        }
    }

    private void tabThatStopsReading(TestServer server) throws Exception {
        LiveFeed liveFeed = server.server().injector().getInstance(LiveFeed.class);
        int before = liveFeed.subscriberCount();
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /api/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + server.adminToken()
                    + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Poll.until("the stalled tab's stream is open", Duration.ofSeconds(5),
                    () -> liveFeed.subscriberCount() == before + 1);

            HttpResponse<InputStream> response = open(server, "Bearer " + server.adminToken());
            try (FeedReader healthy = new FeedReader(response.body());
                 FakeAgent agent = server.agent("chatty-1", "Chatty PC", a -> { })) {
                // Thousands of 8 KiB events: far more than the socket buffers and the bound of 1 MiB unsent per tab.
                String padding = "x".repeat(8 * 1024);
                for (int i = 0; i < 3_000; i++) {
                    agent.sendJson(Map.of("type", "event", "event", "test.burst", "data", Map.of("i", i, "pad", padding)));
                    if (i % 20 == 0) {
                        // The tab that reads stays within 60 events (480 KiB) of the sender, however slow this
                        // machine is, so only the stalled tab passes the 1 MiB bound.
                        int sent = i;
                        Poll.until("the reading tab keeps up", Duration.ofSeconds(10), () -> healthy.bursts.get() >= sent - 60);
                    }
                }
                agent.sendJson(Map.of("type", "event", "event", "test.last", "data", Map.of()));
                healthy.await("the last event, on the tab that reads", m -> m.path("name").asText().equals("test.last"));
                Poll.until("the stalled tab is disconnected", Duration.ofSeconds(10),
                        () -> liveFeed.subscriberCount() == before + 1);
            }
            assertFalse(liveFeed.subscriberCount() > before + 1);
        }
        assertEquals(200, server.api().get("/api/system/status").status(), "the server keeps serving");
    }
}
