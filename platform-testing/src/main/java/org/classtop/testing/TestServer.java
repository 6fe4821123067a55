package org.classtop.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.server.ServerPlugin;
import org.classtop.core.ClassTopServer;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.config.ServerConfig.EnrollmentMode;

/**
 * The real server on 127.0.0.1 and a free port, with a temporary data folder (removed on close
 * unless kept for a restart) and plugins installed in-process. Use {@link #restart()} to check what
 * survives a restart.
 */
public final class TestServer implements AutoCloseable {
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final ServerConfig config;
    private final Builder builder;
    private ClassTopServer server;
    private final java.util.Map<String, String> credentials = new java.util.concurrent.ConcurrentHashMap<>();

    public static final class Builder {
        private EnrollmentMode enrollment = EnrollmentMode.OPEN;
        private Duration heartbeat = Duration.ofSeconds(30);
        private Path dataDir;
        private Path pluginsDir;
        private String dbUrl;
        private org.classtop.core.config.ServerRole role = org.classtop.core.config.ServerRole.LMS;
        private ServerConfig.Tls tls = ServerConfig.Tls.NONE;
        private ServerConfig.AgentLimits limits = ServerConfig.AgentLimits.DEFAULTS;
        private boolean metricsPublic;
        private final java.util.List<Object[]> plugins = new java.util.ArrayList<>();
        private final java.util.Map<String, String> pluginConfig = new java.util.LinkedHashMap<>();
        private java.util.function.Consumer<ServerConfig.Builder> tweak = b -> { };

        public Builder enrollment(EnrollmentMode mode) {
            this.enrollment = mode;
            return this;
        }

        public Builder heartbeat(Duration interval) {
            this.heartbeat = interval;
            return this;
        }

        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** Loads plugin jars from this folder too (default: none). */
        public Builder pluginsDir(Path dir) {
            this.pluginsDir = dir;
            return this;
        }

        /** {@code --role}: {@code LMS} (default) or {@code MANAGEMENT}. */
        public Builder role(org.classtop.core.config.ServerRole value) {
            this.role = value;
            return this;
        }

        public Builder dbUrl(String url) {
            this.dbUrl = url;
            return this;
        }

        /**
         * A plugin setting as if written in {@code conf/classtop.properties}, e.g.
         * {@code pluginConfig("cluster-monitor.POLL_INTERVAL", "0.2")}; read by {@code PluginContext.config}
         * (an environment variable of the same name still wins).
         */
        public Builder pluginConfig(String key, String value) {
            pluginConfig.put(key, value);
            return this;
        }

        /** TLS for the listener (default none). */
        public Builder tls(ServerConfig.Tls value) {
            this.tls = value;
            return this;
        }

        /** What one agent may cost the server (default {@link ServerConfig.AgentLimits#DEFAULTS}). */
        public Builder limits(ServerConfig.AgentLimits value) {
            this.limits = value;
            return this;
        }

        /** {@code GET /metrics} without a token ({@code --metrics-public}; default off). */
        public Builder metricsPublic(boolean value) {
            this.metricsPublic = value;
            return this;
        }

        /**
         * Any other server flag, applied last, e.g. {@code serverConfig(c -> c.managementUrl(url).managementToken(t))}
         * for an LMS that registers with a management server.
         */
        public Builder serverConfig(java.util.function.Consumer<ServerConfig.Builder> change) {
            this.tweak = java.util.Objects.requireNonNull(change, "change");
            return this;
        }

        public Builder plugin(String id, ServerPlugin serverSide, AgentPlugin... agentSides) {
            return plugin(id, java.util.List.of(), serverSide, agentSides);
        }

        /** A plugin that injects the services exported by {@code dependencies} (added before it). */
        public Builder plugin(String id, java.util.List<String> dependencies, ServerPlugin serverSide, AgentPlugin... agentSides) {
            plugins.add(new Object[]{id, serverSide, agentSides, dependencies});
            return this;
        }

        public TestServer start() {
            return new TestServer(this);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private TestServer(Builder builder) {
        this.builder = builder;
        try {
            this.ownsDataDir = builder.dataDir == null;
            this.dataDir = builder.dataDir != null ? builder.dataDir : Files.createTempDirectory("classtop-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerConfig.Builder configBuilder = ServerConfig.forTests(dataDir).toBuilder()
                .enrollment(builder.enrollment)
                .heartbeatInterval(builder.heartbeat)
                .adminToken("test-admin-" + UUID.randomUUID())
                .pluginsDir(builder.pluginsDir != null ? builder.pluginsDir : dataDir.resolve("no-plugins"))
                .dbUrl(builder.dbUrl)
                .role(builder.role)
                .pluginConfig(builder.pluginConfig)
                .tls(builder.tls)
                .limits(builder.limits)
                .metricsPublic(builder.metricsPublic);
        builder.tweak.accept(configBuilder);
        this.config = configBuilder.build();
        startServer();
    }

    private void startServer() {
        server = new ClassTopServer(config).loadPluginFolder(builder.pluginsDir != null);
        for (Object[] p : builder.plugins) {
            @SuppressWarnings("unchecked")
            java.util.List<String> dependencies = (java.util.List<String>) p[3];
            server.withPlugin((String) p[0], dependencies, (ServerPlugin) p[1], (AgentPlugin[]) p[2]);
        }
        server.start();
        // A first start stores its 'admin' just after listening: tests begin once it exists, as a person reading
        // the printed password would.
        server.injector().getInstance(org.classtop.core.auth.AdminBootstrap.class).awaitAdmin();
    }

    /** Stops and starts the server on the same data folder (a new port). */
    public void restart() {
        server.stop();
        startServer();
    }

    public ClassTopServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    /** {@code http://127.0.0.1:PORT}, or {@code https://} when the server runs with TLS. */
    public String baseUrl() {
        return (tlsEnabled() ? "https" : "http") + "://127.0.0.1:" + port();
    }

    public String wsUrl(String uuid) {
        return (tlsEnabled() ? "wss" : "ws") + "://127.0.0.1:" + port() + "/ws/" + uuid;
    }

    /** With TLS and {@code --http-port}: {@code http://127.0.0.1:HTTP_PORT}. */
    public String plainBaseUrl() {
        return "http://127.0.0.1:" + server.plainHttpPort().orElseThrow(
                () -> new IllegalStateException("The server has no plain-HTTP port (TLS with --http-port)."));
    }

    /** With TLS: a client context that trusts exactly the server's certificate (host name still checked). */
    public javax.net.ssl.SSLContext clientTls() {
        if (!tlsEnabled()) {
            throw new IllegalStateException("The server runs without TLS.");
        }
        return TestCertificates.trusting(server.tls().certificate());
    }

    private boolean tlsEnabled() {
        return server.tls().enabled();
    }

    public String adminToken() {
        return config.adminToken();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** A client with the admin token. */
    public ApiClient api() {
        return new ApiClient(baseUrl(), java.util.Map.of("Authorization", "Bearer " + adminToken()),
                tlsEnabled() ? clientTls() : null);
    }

    /**
     * A new fake agent, registered (SPEC frame) and past its {@code registered} answer. Like a real agent it
     * presents the credential this server issued to the uuid before, if any, and keeps a newly issued one.
     */
    public FakeAgent agent(String uuid, String name, java.util.function.Consumer<FakeAgent> script) {
        FakeAgent agent = new FakeAgent(uuid);
        script.accept(agent);
        String credential = credentials.get(uuid);
        agent.register(wsUrl(uuid), name, credential == null ? java.util.Map.of() : java.util.Map.of("token", credential));
        var registered = agent.await("registered", Duration.ofSeconds(10));
        if (registered.hasNonNull("credential")) {
            credentials.put(uuid, registered.get("credential").asText());
        }
        return agent;
    }

    /**
     * A real agent (the {@code classtop-agent} runtime in this JVM) for this server: add its plugins' agent sides,
     * then {@link RealAgent.Builder#start()} waits until it is online.
     */
    public RealAgent.Builder realAgent(String uuid) {
        return RealAgent.builder(this, uuid);
    }

    /** The credential this server issued to {@code uuid} through {@link #agent}, or null. */
    public String credentialOf(String uuid) {
        return credentials.get(uuid);
    }

    @Override
    public void close() {
        server.stop();
        if (ownsDataDir) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
