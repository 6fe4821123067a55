package org.classtop.testing.ext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.classtop.api.server.Role;
import org.classtop.api.server.ServerPlugin;
import org.classtop.api.server.WebSocketHandler;
import org.classtop.api.server.WebSocketSession;
import org.classtop.testing.ApiResult;
import org.classtop.testing.ClassTopServerExtension;
import org.classtop.testing.Poll;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Browser WebSocket routes: REST's authentication and roles, text and binary, bounds, and their end. */
class WebSocketRouteTest {
    static final AtomicInteger OPEN = new AtomicInteger();
    static final BlockingQueue<String> FLOOD_RESULTS = new LinkedBlockingQueue<>();

    public static final class ChatPlugin extends ServerPlugin {
        @Override
        protected void configure() {
            webSocket("/api/chat/{room}/ws").summary("Chat room").to(Echo.class);
            webSocket("/api/chat-admin/ws").requires(Role.ADMIN).to(Echo.class);
            webSocket("/api/chat-small/ws").maxConnections(3).to(Echo.class);
            webSocket("/api/chat-flood/ws").maxQueuedBytes(512 * 1024).to(Flood.class);
            webSocket("/api/chat-slow/ws").to(Slow.class);
        }
    }

    public static class Echo implements WebSocketHandler {
        @Override
        public void onOpen(WebSocketSession session) {
            OPEN.incrementAndGet();
            session.sendText("hello " + session.caller().name() + " in " + session.pathParam("room"));
        }

        @Override
        public void onText(WebSocketSession session, String text) {
            session.sendText("echo " + text);
        }

        @Override
        public void onBinary(WebSocketSession session, byte[] data) {
            byte[] reversed = new byte[data.length];
            for (int i = 0; i < data.length; i++) {
                reversed[i] = data[data.length - 1 - i];
            }
            session.sendBinary(reversed);
        }

        @Override
        public void onClose(WebSocketSession session) {
            OPEN.decrementAndGet();
        }
    }

    /** Sends 64 KiB messages until the platform refuses one (the browser does not read). */
    public static final class Flood extends Echo {
        @Override
        public void onText(WebSocketSession session, String text) {
            int sent = 0;
            while (session.sendBinary(new byte[64 * 1024]) && sent < 100_000) {
                sent++;
            }
            FLOOD_RESULTS.add(sent + " " + session.isOpen());
        }
    }

    static final java.util.concurrent.CountDownLatch RELEASE_SLOW = new java.util.concurrent.CountDownLatch(1);

    /** A handler stuck on its first message: the browser's further messages pile up, up to the bound. */
    public static final class Slow implements WebSocketHandler {
        @Override
        public void onOpen(WebSocketSession session) {
            session.sendText("ready");
        }

        @Override
        public void onText(WebSocketSession session, String text) throws InterruptedException {
            RELEASE_SLOW.await(30, TimeUnit.SECONDS);
        }
    }

    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension(b -> b.plugin("chat", new ChatPlugin()));

    /** A JDK WebSocket whose messages are queued as text ("bin:<hex of first byte>:<length>" for binary). */
    static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final boolean reading;
        WebSocket socket;
        private final StringBuilder text = new StringBuilder();

        Client(boolean reading) {
            this.reading = reading;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            if (reading) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            messages.add("bin:" + Integer.toHexString(data.get(0) & 0xFF) + ":" + data.remaining());
            if (reading) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }

        String next() throws InterruptedException {
            String message = messages.poll(10, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("No WebSocket message within 10 s");
            }
            return message;
        }
    }

    static Client open(TestServer server, String path, Map<String, String> headers) {
        return open(server, path, headers, true);
    }

    static Client open(TestServer server, String path, Map<String, String> headers, boolean reading) {
        Client client = new Client(reading);
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        client.socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + server.port() + path), client).join();
        return client;
    }

    /** The HTTP status of a refused handshake. */
    static int refusal(TestServer server, String path, Map<String, String> headers) {
        try {
            open(server, path, headers).socket.abort();
            throw new AssertionError("The handshake to " + path + " was accepted");
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static ApiResult login(String user, String role) {
        TestServer server = SERVER.get();
        server.api().post("/api/users", Map.of("username", user, "password", "a long enough passphrase", "role", role));
        ApiResult login = server.api().anonymous().post("/api/auth/login",
                Map.of("username", user, "password", "a long enough passphrase"));
        assertEquals(200, login.status(), login.toString());
        return login;
    }

    @Test
    void anAuthenticatedSocketCarriesTextAndBinary() throws Exception {
        Client client = open(SERVER.get(), "/api/chat/room-1/ws", bearer(SERVER.get().adminToken()));
        assertEquals("hello admin-token in room-1", client.next());
        client.socket.sendText("hi", true).join();
        assertEquals("echo hi", client.next());
        client.socket.sendBinary(ByteBuffer.wrap(new byte[]{1, 2, 3, (byte) 0xAB}), true).join();
        assertEquals("bin:ab:4", client.next());
        client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        assertEquals(1000, client.closed.get(10, TimeUnit.SECONDS));
    }

    @Test
    void withoutLoginTheUpgradeIsRefusedWith401() {
        assertEquals(401, refusal(SERVER.get(), "/api/chat/room-1/ws", Map.of()));
        assertEquals(401, refusal(SERVER.get(), "/api/chat/room-1/ws", bearer("not-a-token")));
    }

    @Test
    void rolesApplyAsForRest() throws Exception {
        String viewer = login("ws-viewer", "viewer").data().path("token").asText();
        assertEquals(403, refusal(SERVER.get(), "/api/chat-admin/ws", bearer(viewer)));
        Client client = open(SERVER.get(), "/api/chat/lobby/ws", bearer(viewer));
        assertEquals("hello ws-viewer in lobby", client.next());
        client.socket.abort();
    }

    @Test
    void theSessionCookieWorksOnlyFromAPageOfThisServer() throws Exception {
        ApiResult login = login("ws-browser", "viewer");
        String cookie = login.header("Set-Cookie").split(";")[0];
        String here = "http://127.0.0.1:" + SERVER.get().port();
        Client client = open(SERVER.get(), "/api/chat/lobby/ws", Map.of("Cookie", cookie, "Origin", here));
        assertEquals("hello ws-browser in lobby", client.next());
        client.socket.abort();
        assertEquals(403, refusal(SERVER.get(), "/api/chat/lobby/ws", Map.of("Cookie", cookie, "Origin", "https://evil.example")));
    }

    @Test
    void aPlainGetOfASocketRouteGets426AndTheRouteIsDocumented() {
        ApiResult plain = SERVER.get().api().get("/api/chat/room-1/ws");
        assertEquals(426, plain.status());
        assertEquals("UPGRADE_REQUIRED", plain.code());
        ApiResult doc = SERVER.get().api().get("/openapi.json");
        assertTrue(doc.text().contains("/api/chat/{room}/ws"), "listed in the OpenAPI document");
        assertTrue(doc.text().contains("Upgrade: websocket"));
        assertTrue(doc.json().path("paths").path("/api/chat/{room}/ws").path("get").path("responses").has("101"));
    }

    @Test
    void aRouteRefusesSocketsBeyondItsBoundAndManySocketsAreServed() throws Exception {
        TestServer server = SERVER.get();
        List<Client> small = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            small.add(open(server, "/api/chat-small/ws", bearer(server.adminToken())));
            small.get(i).next();
        }
        assertEquals(503, refusal(server, "/api/chat-small/ws", bearer(server.adminToken())));
        small.get(0).socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        small.get(0).closed.get(10, TimeUnit.SECONDS);
        Poll.until("a place to free up", Duration.ofSeconds(10), () -> {
            try {
                open(server, "/api/chat-small/ws", bearer(server.adminToken())).socket.abort();
                return true;
            } catch (CompletionException refused) {
                return false;
            }
        });
        small.forEach(c -> c.socket.abort());

        int before = OPEN.get();
        List<Client> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            many.add(open(server, "/api/chat/r" + i + "/ws", bearer(server.adminToken())));
        }
        for (int i = 0; i < many.size(); i++) {
            assertEquals("hello admin-token in r" + i, many.get(i).next());
        }
        many.forEach(c -> c.socket.abort());
        Poll.until("the 200 sockets to close on the server", Duration.ofSeconds(20), () -> OPEN.get() <= before);
    }

    @Test
    void aBrowserThatStopsReadingIsClosedNotBufferedWithoutLimit() throws Exception {
        Client client = open(SERVER.get(), "/api/chat-flood/ws", bearer(SERVER.get().adminToken()), false);
        assertTrue(client.next().startsWith("hello"));
        client.socket.sendText("flood", true).join();
        String result = FLOOD_RESULTS.poll(30, TimeUnit.SECONDS);
        assertTrue(result != null, "the handler's sends were refused at some point");
        String[] parts = result.split(" ");
        assertTrue(Integer.parseInt(parts[0]) < 100_000, "sends refused after " + parts[0]);
        assertEquals("false", parts[1], "the socket was closed as too slow");
        client.socket.abort();
    }

    @Test
    void socketsCloseGoingAwayWhenTheirPluginStops() throws Exception {
        try (TestServer server = TestServer.builder().plugin("chat", new ChatPlugin()).start()) {
            Client client = open(server, "/api/chat/x/ws", bearer(server.adminToken()));
            client.next();
            server.server().injector().getInstance(org.classtop.core.plugins.PluginScopedServices.class).closeAll("chat");
            int code = client.closed.get(10, TimeUnit.SECONDS);
            assertEquals(1001, code, "closed with 'going away'");
        }
    }

    @Test
    void aMessageOver64KiBClosesTheSocket() throws Exception {
        Client client = open(SERVER.get(), "/api/chat/big/ws", bearer(SERVER.get().adminToken()));
        client.next();
        client.socket.sendText("x".repeat(100 * 1024), true);
        int code = client.closed.get(10, TimeUnit.SECONDS);
        assertEquals(1009, code, "closed as 'message too big'");
        assertTrue(client.messages.isEmpty(), "the handler never saw it");
    }

    @Test
    void aBrowserFloodingAStuckHandlerIsClosed() throws Exception {
        try {
            Client client = open(SERVER.get(), "/api/chat-slow/ws", bearer(SERVER.get().adminToken()));
            client.next();
            for (int i = 0; i < 400 && !client.closed.isDone(); i++) {
                client.socket.sendText("m" + i, true).get(10, TimeUnit.SECONDS);
            }
            int code = client.closed.get(10, TimeUnit.SECONDS);
            assertTrue(code == 1006 || code == -1 || code == 1011 || code == 1008, "closed with " + code);
        } catch (java.util.concurrent.ExecutionException sendFailed) {
            // the server closed the socket while the browser was still sending: what the test is about
        } finally {
            RELEASE_SLOW.countDown();
        }
    }

    @Test
    void socketsCloseWhenTheServerStops() throws Exception {
        try (TestServer server = TestServer.builder().plugin("chat", new ChatPlugin()).start()) {
            Client client = open(server, "/api/chat/x/ws", bearer(server.adminToken()));
            client.next();
            server.server().stop();
            int code = client.closed.get(10, TimeUnit.SECONDS);
            assertFalse(client.closed.isCompletedExceptionally());
            assertTrue(code == 1001 || code == 1000 || code == 1006 || code == -1, "closed with " + code);
        }
    }
}
