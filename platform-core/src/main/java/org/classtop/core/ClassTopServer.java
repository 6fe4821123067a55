package org.classtop.core;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.undertow.Undertow;
import io.undertow.server.ExchangeCompletionListener;
import org.classtop.core.metrics.ServerMetrics;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.ServerPlugin;
import org.classtop.core.auth.AdminBootstrap;
import org.classtop.core.audit.AuditLog;
import org.classtop.core.auth.ApiTokenService;
import org.classtop.core.clients.ClientDirectory;
import org.classtop.core.clients.EnrollmentService;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.config.ServerRole;
import org.classtop.core.events.EventDispatcher;
import org.classtop.core.http.ApiHttpHandler;
import org.classtop.core.http.DocsPage;
import org.classtop.core.http.OpenApiDocument;
import org.classtop.core.http.RequestGate;
import org.classtop.core.http.RouteDefinition;
import org.classtop.core.http.RouteRegistry;
import org.classtop.core.http.RouteTemplate;
import org.classtop.core.http.StaticFiles;
import org.classtop.core.hub.AgentHub;
import org.classtop.core.live.LiveFeed;
import org.classtop.core.plugins.PluginHost;
import org.classtop.core.routes.AuthRoutes;
import org.classtop.core.routes.CorePlugin;
import org.classtop.core.storage.PlatformDatabase;
import org.classtop.core.tls.ServerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;
import org.xnio.Sequence;

/**
 * The server, assembled: storage and migrations, the Guice injector, plugins, the WebSocket hub
 * and one Undertow listener for HTTP and WebSocket. {@link Main} runs it; tests embed it on port 0.
 */
public final class ClassTopServer {
    private static final Logger LOG = LoggerFactory.getLogger(ClassTopServer.class);

    private record InProcessPlugin(String id, String version, List<String> dependencies, ServerPlugin serverSide,
                                   AgentPlugin[] agentSides) {
    }

    private final ServerConfig config;
    private final List<InProcessPlugin> inProcessPlugins = new ArrayList<>();
    private boolean loadPluginFolder = true;
    private final ServiceLifecycle lifecycle = new ServiceLifecycle();
    private PlatformDatabase database;
    private Injector injector;
    private Undertow undertow;
    private ServerTls tls = ServerTls.OFF;
    private int port;
    private OptionalInt plainHttpPort = OptionalInt.empty();
    private volatile boolean stopped;

    public ClassTopServer(ServerConfig config) {
        this.config = config;
    }

    /** Installs a plugin from instances, before {@link #start()} (tests and embedding). */
    public ClassTopServer withPlugin(String id, ServerPlugin serverSide, AgentPlugin... agentSides) {
        return withPlugin(id, List.of(), serverSide, agentSides);
    }

    /** Installs a plugin that uses the exported services of {@code dependencies}, added before it. */
    public ClassTopServer withPlugin(String id, List<String> dependencies, ServerPlugin serverSide, AgentPlugin... agentSides) {
        inProcessPlugins.add(new InProcessPlugin(id, Main.VERSION, List.copyOf(dependencies), serverSide, agentSides));
        return this;
    }

    /** Whether to load the jars of the plugin folder (default true). */
    public ClassTopServer loadPluginFolder(boolean load) {
        this.loadPluginFolder = load;
        return this;
    }

    /** Starts every service in order; a failed start stops what started and rethrows. */
    public void start() {
        start(StartPhases.fromNow());
    }

    /** {@link #start()}, timing its phases into {@code phases} (logged once listening). */
    public void start(StartPhases phases) {
        try {
            startServices(phases);
        } catch (RuntimeException | Error e) {
            lifecycle.stopAll();
            throw e;
        }
    }

    private void startServices(StartPhases phases) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data folder " + config.dataDir(), e);
        }
        // Bad PEM files stop the start before anything else is opened.
        tls = ServerTls.load(config);
        database = lifecycle.open("database", () -> PlatformDatabase.open(config.dataDir(), config.dbUrl()),
                PlatformDatabase::close);
        database.migrate(CorePlugin.ID, ClassTopServer.class.getClassLoader());
        phases.end("database");
        injector = Guice.createInjector(new CoreModule(config, database, tls));
        // Stopped last but the database: the last timer tasks, audit rows and token uses still queue writes.
        lifecycle.onStop("timers", injector.getInstance(Timers.class)::close);
        lifecycle.onStop("audit log", injector.getInstance(AuditLog.class)::close);
        lifecycle.onStop("API token uses", injector.getInstance(ApiTokenService.class)::close);
        lifecycle.onStop("event dispatcher", injector.getInstance(EventDispatcher.class)::close);
        lifecycle.onStop("command continuations",
                injector.getInstance(org.classtop.core.commands.CommandContinuations.class)::close);

        AdminBootstrap adminBootstrap = injector.getInstance(AdminBootstrap.class);
        lifecycle.start("admin bootstrap", adminBootstrap::ensureAdmin, adminBootstrap::close);
        injector.getInstance(ClientDirectory.class).load();
        injector.getInstance(EnrollmentService.class).load();
        injector.getInstance(ApiTokenService.class).load();

        RouteRegistry routes = injector.getInstance(RouteRegistry.class);
        routes.register(new RouteDefinition(CorePlugin.ID, HttpMethod.POST, new RouteTemplate("/api/auth/login"), null,
                "Sign in", "Answers a session token (also set as an HttpOnly cookie) and the CSRF token that "
                + "cookie-authenticated changes must send as X-CSRF-Token. Five failures a minute per address, then 429.",
                "{\"username\":\"admin\",\"password\":\"...\"}", null, injector.getInstance(AuthRoutes.Login.class)));

        OpenApiDocument openApi = injector.getInstance(OpenApiDocument.class);
        routes.register(new RouteDefinition(CorePlugin.ID, HttpMethod.GET, new RouteTemplate("/openapi.json"),
                org.classtop.api.server.Role.VIEWER, "This OpenAPI document", null, null, null,
                request -> org.classtop.api.server.ApiResponse.bytes("application/json", openApi.json())));

        ServerMetrics metrics = injector.getInstance(ServerMetrics.class);
        lifecycle.onStop("metrics", metrics::close);
        routes.register(new RouteDefinition(CorePlugin.ID, HttpMethod.GET, new RouteTemplate("/metrics"),
                config.metricsPublic() ? null : org.classtop.api.server.Role.VIEWER, "Metrics (Prometheus text format)",
                "Agents and clients by status and agent version, commands by outcome, the command round-trip histogram, "
                + "the storage writer's queue and commit times, HTTP requests by status, and the JVM. Needs a token "
                + "(a viewer API token is enough) unless the server runs with --metrics-public.", null, null,
                request -> org.classtop.api.server.ApiResponse.bytes(ServerMetrics.contentType(),
                        metrics.scrape().getBytes(StandardCharsets.UTF_8)), null, ServerMetrics.contentType()));

        phases.end("core");
        PluginHost plugins = injector.getInstance(PluginHost.class);
        lifecycle.onStop("plugins", plugins::close);
        plugins.installPlatform(CorePlugin.ID, Main.VERSION, new CorePlugin());
        for (InProcessPlugin plugin : inProcessPlugins) {
            plugins.install(plugin.id(), plugin.version(), plugin.dependencies(), plugin.serverSide(), plugin.agentSides());
        }
        if (loadPluginFolder) {
            plugins.loadFolder();
        } else {
            plugins.loadInstalled(false);
        }

        // Plugins' services run before the first request can reach their routes.
        plugins.startLifecycles();
        phases.end("plugins");
        AgentHub hub = injector.getInstance(AgentHub.class);
        hub.start();
        injector.getInstance(LiveFeed.class).start();
        Housekeeping housekeeping = injector.getInstance(Housekeeping.class);
        lifecycle.start("housekeeping", housekeeping::start, housekeeping::close);
        phases.end("hub");
        undertow = lifecycle.open("listener", () -> startListener(hub, plugins), Undertow::stop);
        // Stopped before the listener: tell the agents and the browsers first (close frames need the I/O threads).
        lifecycle.onStop("plugin streams and sockets", injector.getInstance(org.classtop.core.http.OpenConnections.class)::closeAll);
        lifecycle.onStop("agent streams", injector.getInstance(org.classtop.core.hub.AgentStreamRouter.class)::close);
        lifecycle.onStop("live feed", injector.getInstance(LiveFeed.class)::close);
        lifecycle.onStop("agent hub", hub::close);
        // Registered last, so it stops first: agents told to come back later do not reconnect into a stopping server.
        Undertow listening = undertow;
        lifecycle.onStop("accepting connections", () -> stopAccepting(listening));

        List<Undertow.ListenerInfo> listeners = undertow.getListenerInfo();
        port = ((InetSocketAddress) listeners.get(0).getAddress()).getPort();
        if (listeners.size() > 1) {
            plainHttpPort = OptionalInt.of(((InetSocketAddress) listeners.get(1).getAddress()).getPort());
        }
        phases.end("listening");
        AfterListening afterListening = injector.getInstance(AfterListening.class);
        afterListening.run(org.classtop.core.routes.CommandRouteWarmup::startInBackground); // no JIT cliff for the first commands
        afterListening.open();
        LOG.info("ClassTop {} ({} role, {} enrolment, {}) listening on {}://{}:{}", Main.VERSION,
                config.role().name().toLowerCase(), config.enrollment().name().toLowerCase(),
                database.dialect().name().toLowerCase(), tls.enabled() ? "https" : "http", config.bind(), port);
        if (tls.enabled()) {
            LOG.info("TLS certificate SHA-256 fingerprint: {}", tls.fingerprint());
        }
        plainHttpPort.ifPresent(plain -> LOG.info("Also serving plain HTTP on {}:{} (--http-port)", config.bind(), plain));
        LOG.info("ClassTop {} started in {}", config.role() == ServerRole.MANAGEMENT
                ? "management server" : "LMS", phases.summary());
    }

    /**
     * Stops accepting connections, keeping the open ones. Undertow's own {@code ListenerInfo.suspend()} also closes
     * every open connection (before the agents could be told to come back), so the accepting channel is reached
     * directly. Without this, 10,000 agents reconnecting while the server stops cost thousands of failed accept
     * tasks and seconds of shutdown.
     */
    private static void stopAccepting(Undertow server) {
        for (Undertow.ListenerInfo listener : server.getListenerInfo()) {
            try {
                java.lang.reflect.Field field = Undertow.ListenerInfo.class.getDeclaredField("channel");
                field.setAccessible(true);
                ((org.xnio.channels.AcceptingChannel<?>) field.get(listener)).suspendAccepts();
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.debug("Could not stop accepting on {} before stopping: {}", listener.getAddress(), e.toString());
            }
        }
    }

    private Undertow startListener(AgentHub hub, PluginHost plugins) {
        Undertow.Builder builder = Undertow.builder();
        // Thread counts: Undertow's defaults unless set (-Dclasstop.ioThreads / -Dclasstop.workerThreads).
        Integer ioThreads = Integer.getInteger("classtop.ioThreads");
        Integer workerThreads = Integer.getInteger("classtop.workerThreads");
        if (ioThreads != null) {
            builder.setIoThreads(ioThreads);
        }
        if (workerThreads != null) {
            builder.setWorkerThreads(workerThreads);
        }
        // RequestGate: URLs decoded once by us, and parser limits above ours, so bad requests get the envelope.
        RequestGate.configure(builder);
        if (tls.enabled()) {
            // SPEC section 8: --port serves HTTPS + WSS; plain HTTP only on --http-port when given.
            builder.addHttpsListener(config.port(), config.bind(), tls.context())
                    .setSocketOption(Options.SSL_ENABLED_PROTOCOLS, Sequence.of(ServerTls.PROTOCOLS));
            if (config.tls().httpPort() != null) {
                builder.addHttpListener(config.tls().httpPort(), config.bind());
            }
        } else {
            builder.addHttpListener(config.port(), config.bind());
        }
        Undertow server = builder
                .setServerOption(UndertowOptions.RECORD_REQUEST_START_TIME, false)
                // No per-connection cache of header values: an agent's connection would keep its handshake's header
                // names and values in it for as long as it is open (about 0.8 KiB per agent); browsers lose little.
                .setServerOption(UndertowOptions.HTTP_HEADERS_CACHE_SIZE, 0)
                .setHandler(new RequestGate(rootHandler(hub, plugins)))
                .build();
        server.start();
        return server;
    }

    private HttpHandler rootHandler(AgentHub hub, PluginHost plugins) {
        ApiHttpHandler api = injector.getInstance(ApiHttpHandler.class);
        LiveFeed live = injector.getInstance(LiveFeed.class);
        HttpHandler websocket = org.classtop.core.http.WebSocketHandshake.upgrade(hub::onConnect);
        ClassLoader coreLoader = ClassTopServer.class.getClassLoader();
        StaticFiles web = StaticFiles.classpath(coreLoader, "classtop-web", "");
        StaticFiles docs = DocsPage.files(coreLoader);
        StaticFiles pluginFiles = new StaticFiles(path -> pluginResource(plugins, path));
        ServerMetrics metrics = injector.getInstance(ServerMetrics.class);
        ExchangeCompletionListener countAnswer = (exchange, next) -> {
            metrics.httpAnswered(exchange.getStatusCode());
            next.proceed();
        };
        return exchange -> {
            String path = exchange.getRequestPath();
            if (!path.equals("/ws") && !path.startsWith("/ws/")) {
                exchange.addExchangeCompleteListener(countAnswer);
            }
            if (path.equals("/healthz")) {
                json(exchange, "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
            } else if (path.equals(LiveFeed.PATH)) {
                live.handleRequest(exchange);
            } else if (path.startsWith("/api/") || path.equals("/api")) {
                api.handleRequest(exchange);
            } else if (path.startsWith("/internal/")) { // plugin routes at the earlier system's paths (video-sources' /internal/video/*)
                api.handleRequest(exchange);
            } else if (path.equals("/openapi.json") || path.equals("/metrics")) {
                api.handleRequest(exchange);
            } else if (path.equals("/ws") || path.startsWith("/ws/")) {
                websocket.handleRequest(exchange);
            } else if (path.startsWith("/plugins/")) {
                pluginFiles.handleRequest(exchange);
            } else if (path.equals("/docs") || path.startsWith("/docs/")) {
                docs.handleRequest(exchange);
            } else {
                web.handleRequest(exchange);
            }
        };
    }

    private static URL pluginResource(PluginHost plugins, String path) {
        String rest = path.substring("/plugins/".length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        String id = rest.substring(0, slash);
        String file = rest.substring(slash + 1);
        if (file.isEmpty() || !StaticFiles.safe("/" + file)) {
            return null;
        }
        return plugins.classLoader(id).map(loader -> loader.getResource("static/" + id + "/" + file)).orElse(null);
    }

    private static void json(HttpServerExchange exchange, byte[] body) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
        exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(body));
    }

    /** The port of the main listener: HTTPS with TLS, else HTTP. */
    public int port() {
        return port;
    }

    /** With TLS and {@code --http-port}, the extra plain-HTTP port. */
    public OptionalInt plainHttpPort() {
        return plainHttpPort;
    }

    /** The TLS identity, {@link ServerTls#OFF} for plain HTTP. */
    public ServerTls tls() {
        return tls;
    }

    public Injector injector() {
        return injector;
    }

    public ServerConfig config() {
        return config;
    }

    /** Stops accepting, closes agent connections, stops plugins and commits every queued write. Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        LOG.info("Stopping");
        lifecycle.stopAll();
        LOG.info("Stopped");
    }
}
