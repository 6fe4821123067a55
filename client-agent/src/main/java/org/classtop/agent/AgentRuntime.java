package org.classtop.agent;

import com.google.inject.Guice;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.classtop.api.agent.AgentPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent: its identity, its plugins and its connection to the server. Build it with
 * {@link #builder(AgentConfig)}, {@link #start()} it, and {@link #close()} it (also from a shutdown hook).
 *
 * <pre>{@code
 * AgentConfig config = AgentConfig.builder(URI.create("http://127.0.0.1:" + port)).dataDir(tempDir).build();
 * try (AgentRuntime agent = AgentRuntime.builder(config).plugin("settings", new SettingsAgentPlugin()).build()) {
 *     agent.start();
 *     agent.firstRegistration().get(10, TimeUnit.SECONDS);
 * }
 * }</pre>
 */
public final class AgentRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentRuntime.class);
    private static final int COMMAND_THREADS = 8;
    private static final int COMMAND_QUEUE = 1_000;

    private record InProcessPlugin(String id, String version, List<String> dependencies, AgentPlugin plugin) {
    }

    private final AgentConfig config;
    private final List<InProcessPlugin> inProcessPlugins;
    private final ReconnectPolicy reconnectPolicy;
    private final UnaryOperator<String> environment;
    private final Duration stateCoalesceWindow;
    private final Duration shutdownGrace;
    private final java.security.KeyStore trustedCertificates;
    private final CompletableFuture<Void> firstRegistration = new CompletableFuture<>();
    private final CountDownLatch terminated = new CountDownLatch(1);

    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(NamedThreads.factory("classtop-agent-timer", true));
    private final ScheduledExecutorService stateExecutor =
            Executors.newSingleThreadScheduledExecutor(NamedThreads.factory("classtop-agent-state", true));
    private final ThreadPoolExecutor commandExecutor = new ThreadPoolExecutor(COMMAND_THREADS, COMMAND_THREADS,
            30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(COMMAND_QUEUE),
            NamedThreads.factory("classtop-agent-command", true));
    private final CommandDispatcher commands = new CommandDispatcher(commandExecutor);
    private final StatePublisher state;
    /** Plugins' scheduled tasks ({@code Scheduler}); apart from the connection's timer, so they may block. */
    private final ScheduledExecutorService pluginTasks =
            Executors.newScheduledThreadPool(2, NamedThreads.factory("classtop-agent-plugin-task", true));
    private final AgentBinaryLane lane = new AgentBinaryLane();
    private final AgentEventBuffer events;
    private final SyncSections syncs = new SyncSections();
    /** The dual mode's syncs; they block on HTTP, so apart from the connection's timer. */
    private final ScheduledExecutorService syncExecutor =
            Executors.newSingleThreadScheduledExecutor(NamedThreads.factory("classtop-agent-sync", true));
    private ManagementSync managementSync;
    /** Reconciles the server's plugin announces, one at a time, apart from the connection's threads. */
    private final java.util.concurrent.ExecutorService pluginSyncExecutor =
            Executors.newSingleThreadExecutor(NamedThreads.factory("classtop-agent-plugin-sync", true));
    private static final Duration PLUGIN_DOWNLOAD_TIMEOUT = Duration.ofMinutes(5);
    private PluginSync pluginSync;
    private volatile AgentProtocol protocol;

    private volatile AgentIdentityStore identities;
    private AgentPluginHost plugins;
    private ConnectionSupervisor supervisor;
    private HttpClient http;
    private boolean started;
    private boolean closed;

    private AgentRuntime(Builder builder) {
        this.config = builder.config;
        this.inProcessPlugins = List.copyOf(builder.plugins);
        this.reconnectPolicy = builder.reconnectPolicy.copy();
        this.environment = builder.environment;
        this.stateCoalesceWindow = builder.stateCoalesceWindow;
        this.shutdownGrace = builder.shutdownGrace;
        this.trustedCertificates = builder.trustedCertificates;
        this.commandExecutor.allowCoreThreadTimeOut(true);
        this.state = new StatePublisher(stateExecutor, this::registeredConnection, stateCoalesceWindow);
        this.events = new AgentEventBuffer(builder.eventBuffer);
    }

    public static Builder builder(AgentConfig config) {
        return new Builder(config);
    }

    /**
     * Reads (or creates) the identity, wires and starts the plugins, and starts connecting.
     *
     * @throws IOException when the data folder or {@code agent.json} cannot be used
     */
    public synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("The agent runtime was already started.");
        }
        started = true;
        identities = AgentIdentityStore.open(config.dataDir(), config.fixedClientUuid().orElse(null));
        PluginServices services = new PluginServices(new RuntimeAgentInfo(this::clientUuid, config.serverUrl(),
                config.dataDir(), AgentVersion.current()), lane, pluginTasks);
        plugins = new AgentPluginHost(new PluginWiring(Guice.createInjector(), config.dataDir(), new Outbox(),
                commands, state, syncs, environment, services));
        plugins.startTimeout(config.pluginStartTimeout());
        ServerTrust trust = new ServerTrust(ServerTrust.systemTrust(trustedCertificates),
                config.pinnedFingerprint().orElse(null), identities);
        http = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .sslContext(trust.sslContext()).sslParameters(ServerTrust.parameters()).build();
        PluginCache cache = new PluginCache(config.dataDir());
        // Downloads go through the WebSocket's own client: the same trust store, pin and TLS rules.
        PluginDownloader downloader = new PluginDownloader(http, PluginDownloader.httpBase(config.connectionUrl()), cache,
                PLUGIN_DOWNLOAD_TIMEOUT);
        pluginSync = new PluginSync(plugins, cache, downloader::download, AgentPlatform.current(), pluginSyncExecutor,
                (event, data) -> new Outbox().emit(event, data),
                frame -> registeredConnection().ifPresent(connection -> connection.send(frame)),
                commands::commandNames, this::registerAgain)
                .retrying(timer, this::isRegistered, PluginSync.RETRY_DELAYS);
        for (InProcessPlugin plugin : inProcessPlugins) {
            plugins.addInProcess(plugin.id(), plugin.version(), plugin.dependencies(), plugin.plugin());
        }
        loadPlugins(cache);
        plugins.startAll();
        protocol = new AgentProtocol(config, identities, commands, state, firstRegistration, lane, events, pluginSync);
        supervisor = new ConnectionSupervisor(config.webSocketUri(clientUuid()), config, http, timer, protocol,
                reconnectPolicy, trust);
        LOG.info("ClassTop agent {} starting as {} ('{}'), server {} ({})", AgentVersion.current(), clientUuid(),
                config.name(), config.serverDisplay(), config.connectionMode().flagValue());
        supervisor.start();
        if (config.connectionMode() == ConnectionMode.BOTH) {
            // The agent's trust (its trust store, pins, TLS 1.2+ and host-name check), without pinning the centre.
            ServerTrust centreTrust = trust.forAnotherServer();
            managementSync = new ManagementSync(config, this::clientUuid, syncs, HttpClient.newBuilder()
                    .connectTimeout(config.connectTimeout()).sslContext(centreTrust.sslContext())
                    .sslParameters(ServerTrust.parameters()).build(), syncExecutor);
            managementSync.start();
        }
    }

    /**
     * The plugins folder's jars and the server's cached ones: the server's last announce decides (its cached
     * jar replaces a local one of the same id; ids it switched off are not loaded).
     */
    private void loadPlugins(PluginCache cache) {
        java.nio.file.Path folder = config.pluginsFolder().orElse(null);
        try {
            java.nio.file.Files.createDirectories(cache.folder());
            plugins.pluginsRoot(folder != null && java.nio.file.Files.isDirectory(folder) ? folder : cache.folder());
            plugins.loadJars(pluginSync.startupJars(folder));
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.error("The plugins could not be loaded ({}); running without plugins from disk", e.getMessage(), e);
        }
    }

    /** Sends {@code register} again, so the server sees the commands the agent provides now. */
    private void registerAgain() {
        AgentProtocol current = protocol;
        registeredConnection().ifPresent(connection -> {
            LOG.info("The agent's commands changed: registering again with {}", commands.commandNames());
            connection.send(current.registerFrame());
        });
    }

    /** Completes when the server answered {@code registered} for the first time. */
    public CompletableFuture<Void> firstRegistration() {
        return firstRegistration;
    }

    public AgentConfig config() {
        return config;
    }

    public String clientUuid() {
        requireStarted();
        return identities.identity().clientUuid();
    }

    /** The uuid and the credential, as persisted in {@code agent.json}. */
    public AgentIdentity identity() {
        requireStarted();
        return identities.identity();
    }

    /** True while a connection is open and the server has answered {@code registered} on it. */
    public boolean isRegistered() {
        return registeredConnection().isPresent();
    }

    /** The commands of every wired plugin, sorted. */
    public List<String> commands() {
        return commands.commandNames();
    }

    /** The ids of the plugins that are running. */
    public synchronized List<String> pluginIds() {
        return plugins == null ? List.of() : plugins.pluginIds();
    }

    /** The {@code plugins_state} entries the agent reports now. */
    public List<Map<String, Object>> pluginsState() {
        PluginSync sync = pluginSync;
        return sync == null ? List.of() : sync.state();
    }

    /** Plugin events dropped since the start because the buffer was full while disconnected. */
    public long eventsDropped() {
        return events.droppedTotal();
    }

    /** The data of every sync section right now, as a {@code POST /api/sync} carries it. */
    public Map<String, Object> currentSyncData() {
        return syncs.compose();
    }

    /** The dual mode's syncs ({@code both}), or null in the other modes. */
    ManagementSync managementSync() {
        return managementSync;
    }

    /** The state every plugin reports right now, as a {@code state_update} carries it. */
    public Map<String, Object> currentState() {
        return state.compose();
    }

    /**
     * Stops: lets running commands answer, stops the plugins in reverse order, closes the WebSocket with a
     * normal close after the frames already queued, and releases the threads. Safe to call twice.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            pluginSyncExecutor.shutdownNow();
            awaitQuietly(pluginSyncExecutor, shutdownGrace);
            commandExecutor.shutdown();
            awaitQuietly(commandExecutor, shutdownGrace);
            if (managementSync != null) {
                managementSync.stop();
            }
            if (plugins != null) {
                plugins.close();
            }
            if (supervisor != null) {
                supervisor.stop(Duration.ofSeconds(2));
            }
        } finally {
            commandExecutor.shutdownNow();
            pluginSyncExecutor.shutdownNow();
            stateExecutor.shutdownNow();
            syncExecutor.shutdownNow();
            pluginTasks.shutdownNow();
            timer.shutdownNow();
            LOG.info("ClassTop agent stopped");
            terminated.countDown();
        }
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    private java.util.Optional<AgentConnection> registeredConnection() {
        ConnectionSupervisor current = supervisor;
        return current == null ? java.util.Optional.empty() : current.registered();
    }

    private void requireStarted() {
        if (identities == null) {
            throw new IllegalStateException("The agent runtime is not started.");
        }
    }

    private static void awaitQuietly(ExecutorService executor, Duration grace) {
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Commands still running after {} ms are abandoned", grace.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What plugins push towards the server. */
    private final class Outbox implements AgentOutbox {
        @Override
        public String clientUuid() {
            return AgentRuntime.this.clientUuid();
        }

        @Override
        public void stateChanged() {
            state.requestPublish();
        }

        @Override
        public void emit(String event, Map<String, Object> data) {
            try {
                events.emit(event, data);
            } catch (RuntimeException e) {
                LOG.error("Event '{}' could not be turned into JSON and was not sent", event, e);
            }
        }
    }

    /** Configures a runtime; everything but the config has a default. */
    public static final class Builder {
        private final AgentConfig config;
        private final List<InProcessPlugin> plugins = new ArrayList<>();
        private ReconnectPolicy reconnectPolicy = ReconnectPolicy.DEFAULT;
        private UnaryOperator<String> environment = System::getenv;
        private Duration stateCoalesceWindow = Duration.ofMillis(100);
        private Duration shutdownGrace = Duration.ofSeconds(5);
        private java.security.KeyStore trustedCertificates;
        private int eventBuffer = AgentEventBuffer.DEFAULT_CAPACITY;

        private Builder(AgentConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Runs {@code plugin} in-process under {@code pluginId}, before the plugins folder is loaded. */
        public Builder plugin(String pluginId, AgentPlugin plugin) {
            return plugin(pluginId, AgentVersion.current(), plugin);
        }

        public Builder plugin(String pluginId, String version, AgentPlugin plugin) {
            return plugin(pluginId, version, List.of(), plugin);
        }

        /** Runs {@code plugin}, which injects the services exported by {@code dependencies} (added before it). */
        public Builder plugin(String pluginId, String version, List<String> dependencies, AgentPlugin plugin) {
            plugins.add(new InProcessPlugin(Objects.requireNonNull(pluginId, "pluginId"),
                    Objects.requireNonNull(version, "version"), List.copyOf(dependencies), Objects.requireNonNull(plugin, "plugin")));
            return this;
        }

        public Builder reconnectPolicy(ReconnectPolicy policy) {
            this.reconnectPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Where plugins read {@code PluginContext.config(..)} variables; the process environment by default. */
        public Builder environment(UnaryOperator<String> variables) {
            this.environment = Objects.requireNonNull(variables, "variables");
            return this;
        }

        /** How long a state change waits for more before one {@code state_update} goes out (100 ms). */
        public Builder stateCoalesceWindow(Duration window) {
            this.stateCoalesceWindow = Objects.requireNonNull(window, "window");
            return this;
        }

        /** How long {@link AgentRuntime#close()} lets running commands finish (5 s). */
        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = Objects.requireNonNull(grace, "grace");
            return this;
        }

        /**
         * The certificates a TLS server may present without a pin, in place of the JDK's default trust store
         * (the same as {@code -Djavax.net.ssl.trustStore}, for embedding and tests). Pins work as ever.
         */
        public Builder trustedCertificates(java.security.KeyStore store) {
            this.trustedCertificates = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * How many plugin events wait while the agent is disconnected (1,000); beyond it the oldest is dropped
         * and the count reported in an {@code agent.events_dropped} event after the next connection.
         */
        public Builder eventBuffer(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("The event buffer needs room for at least one event.");
            }
            this.eventBuffer = capacity;
            return this;
        }

        public AgentRuntime build() {
            return new AgentRuntime(this);
        }
    }
}
