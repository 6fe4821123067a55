package org.classtop.core.live;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.sse.ServerSentEventConnection;
import io.undertow.server.handlers.sse.ServerSentEventHandler;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.classtop.api.Event;
import org.classtop.api.Registration;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.Caller;
import org.classtop.api.server.HttpMethod;
import org.classtop.core.Timers;
import org.classtop.core.auth.Authenticator;
import org.classtop.core.clients.ClientDirectory;
import org.classtop.core.commands.CommandBus;
import org.classtop.core.events.EventDispatcher;
import org.classtop.core.http.ResponseWriter;
import org.classtop.core.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/live}: the admin UI's live feed, as Server-Sent Events, authenticated like the API.
 *
 * <p>Each message is JSON with a {@code type}: {@code hello} on (re)connection, {@code event} for every
 * platform or plugin event ({@code client.*} events carry the client's current view), {@code commands}
 * at most once a second when commands finished, and {@code ping} every 15 s.
 *
 * <p>Bounded per browser tab: a tab with more than {@value #MAX_UNSENT_CHARS} characters (about 1 MiB) of
 * messages not yet written to its socket is disconnected, so a slow tab never makes the server queue
 * without limit. The bound is in bytes, not messages, so that a morning's burst of connecting agents
 * (about 700 bytes each) fits. Its EventSource reconnects by itself and, on the new
 * {@code hello}, the page reloads what it shows. A stream whose session ended is closed at the next ping.
 */
@Singleton
public final class LiveFeed implements HttpHandler, AutoCloseable {
    public static final String PATH = "/api/live";
    static final int MAX_UNSENT_CHARS = 1 << 20;
    private static final long PING_MILLIS = 15_000;
    private static final long COMMANDS_MILLIS = 1_000;
    private static final long RETRY_MILLIS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

    /** The route entry that lists the feed in the API document; requests never reach it (the root handler serves the path). */
    public static final class Listed implements org.classtop.api.server.RouteHandler {
        @Override
        public Object handle(org.classtop.api.server.ApiRequest request) {
            throw new ApiException(500, "NOT_ROUTED", "The live feed is served before routing.");
        }
    }

    /** One browser tab's stream. */
    private final class Subscriber {
        final ServerSentEventConnection connection;
        final String token;
        final AtomicLong unsentChars = new AtomicLong();

        Subscriber(ServerSentEventConnection connection, String token) {
            this.connection = connection;
            this.token = token;
        }

        void send(String json) {
            int length = json.length();
            if (unsentChars.addAndGet(length) > MAX_UNSENT_CHARS) {
                LOG.info("A live feed fell over 1 MiB behind: disconnecting it (the page reloads its view)");
                close();
                return;
            }
            connection.send(json, new ServerSentEventConnection.EventCallback() {
                @Override
                public void done(ServerSentEventConnection c, String data, String event, String id) {
                    unsentChars.addAndGet(-length);
                }

                @Override
                public void failed(ServerSentEventConnection c, String data, String event, String id, java.io.IOException e) {
                    unsentChars.addAndGet(-length);
                }
            });
        }

        void close() {
            subscribers.remove(this);
            org.xnio.IoUtils.safeClose(connection);
        }
    }

    private final Authenticator authenticator;
    private final ClientDirectory clients;
    private final CommandBus commands;
    private final EventDispatcher events;
    private final Timers timers;
    private final ServerSentEventHandler sse;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final AtomicLong commandsReported = new AtomicLong();
    private Registration watch;
    private ScheduledFuture<?> pinger;
    private ScheduledFuture<?> commandReporter;

    @Inject
    public LiveFeed(Authenticator authenticator, ClientDirectory clients, CommandBus commands, EventDispatcher events,
                    Timers timers) {
        this.authenticator = authenticator;
        this.clients = clients;
        this.commands = commands;
        this.events = events;
        this.timers = timers;
        this.sse = new ServerSentEventHandler(this::connected);
    }

    public void start() {
        commandsReported.set(commands.finishedCount());
        watch = events.watch(this::onEvent);
        pinger = timers.every(this::ping, PING_MILLIS);
        commandReporter = timers.every(this::reportCommands, COMMANDS_MILLIS);
    }

    /** Number of open streams. */
    public int subscriberCount() {
        return subscribers.size();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this); // authentication may read the session table
            return;
        }
        try {
            if (!exchange.getRequestMethod().toString().equals("GET")) {
                throw new ApiException(405, "METHOD_NOT_ALLOWED", "The live feed accepts only GET (an EventSource).");
            }
            Caller caller = authenticator.authenticate(exchange, HttpMethod.GET);
            exchange.putAttachment(CALLER, caller);
            exchange.putAttachment(TOKEN, Authenticator.presentedToken(exchange)); // re-checked at each ping
        } catch (ApiException e) {
            ResponseWriter.error(exchange, e);
            return;
        }
        exchange.getResponseHeaders().put(io.undertow.util.Headers.CACHE_CONTROL, "no-store");
        sse.handleRequest(exchange);
    }

    private static final io.undertow.util.AttachmentKey<Caller> CALLER = io.undertow.util.AttachmentKey.create(Caller.class);
    private static final io.undertow.util.AttachmentKey<String> TOKEN = io.undertow.util.AttachmentKey.create(String.class);

    private void connected(ServerSentEventConnection connection, String lastEventId) {
        Caller caller = connection.getAttachment(CALLER);
        Subscriber subscriber = new Subscriber(connection, connection.getAttachment(TOKEN));
        subscribers.add(subscriber);
        connection.addCloseTask(closed -> subscribers.remove(subscriber));
        connection.sendRetry(RETRY_MILLIS);
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("type", "hello");
        hello.put("user", caller.name());
        hello.put("role", caller.role().name().toLowerCase(Locale.ROOT));
        subscriber.send(Json.write(hello));
    }

    private void onEvent(Event event) {
        if (subscribers.isEmpty()) {
            return; // no browser watching: no work on the event path
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "event");
        message.put("name", event.name());
        message.put("client_uuid", event.clientUuid());
        message.put("data", event.data());
        message.put("timestamp", event.timestamp());
        if (event.name().startsWith("client.") && event.clientUuid() != null) {
            message.put("client", clients.view(event.clientUuid()).orElse(null));
        }
        broadcast(Json.write(message));
    }

    private void reportCommands() {
        long finished = commands.finishedCount();
        long count = finished - commandsReported.getAndSet(finished);
        if (count > 0 && !subscribers.isEmpty()) {
            broadcast("{\"type\":\"commands\",\"count\":" + count + "}");
        }
    }

    /** Keeps proxies from closing idle streams, and closes streams whose session was signed out or expired. */
    private void ping() {
        for (Subscriber subscriber : subscribers) {
            if (subscriber.token != null && !stillSignedIn(subscriber.token)) {
                subscriber.close();
            } else {
                subscriber.send("{\"type\":\"ping\"}");
            }
        }
    }

    /** Closes at once the streams whose token no longer signs anyone in (after a revocation). */
    public void closeSignedOutStreams() {
        for (Subscriber subscriber : subscribers) {
            if (subscriber.token != null && !stillSignedIn(subscriber.token)) {
                subscriber.close();
            }
        }
    }

    private boolean stillSignedIn(String token) {
        try {
            return authenticator.isValidToken(token);
        } catch (RuntimeException e) {
            return true; // a database hiccup must not drop every tab; the next ping checks again
        }
    }

    private void broadcast(String json) {
        for (Subscriber subscriber : subscribers) {
            subscriber.send(json);
        }
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        if (pinger != null) {
            pinger.cancel(false);
        }
        if (commandReporter != null) {
            commandReporter.cancel(false);
        }
        for (Subscriber subscriber : subscribers) {
            subscriber.close();
        }
    }
}
