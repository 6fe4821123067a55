package org.classtop.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.classtop.core.config.ConfigResolver;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.config.ServerConfig.EnrollmentMode;
import org.classtop.core.config.ServerRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/classtop-lms}: parses flags (SPEC section 2), starts the server, stops it cleanly on SIGTERM. */
@Command(name = "classtop-lms", mixinStandardHelpOptions = true, version = "classtop-lms " + Main.VERSION,
        description = "Runs the ClassTop server: WebSocket hub for client agents, REST API, admin UI and plugins.")
public final class Main implements Callable<Integer> {
    public static final String VERSION = "0.1.0";
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    private static final long TRIM_AFTER_START_SECONDS = 5;

    @Option(names = "--port", description = "HTTP + WebSocket port (env CLASSTOP_PORT, default 8000)")
    String port;
    @Option(names = "--bind", description = "Listen address (env CLASSTOP_BIND, default 0.0.0.0)")
    String bind;
    @Option(names = "--data", description = "Data folder: SQLite file, secrets (env CLASSTOP_DATA_DIR, default ./data)")
    String data;
    @Option(names = "--plugins", description = "Plugin folder (env CLASSTOP_PLUGINS_DIR, default <dist>/plugins)")
    String plugins;
    @Option(names = "--role", description = "lms or management (env CLASSTOP_ROLE, default lms)")
    String role;
    @Option(names = "--db-url", description = "A jdbc:postgresql: URL selects PostgreSQL (env CLASSTOP_DB_URL)")
    String dbUrl;
    @Option(names = "--management-url", description = "Management server this LMS registers with (env MANAGEMENT_SERVER_URL)")
    String managementUrl;
    @Option(names = "--enrollment", description = "token, approve or open (env CLASSTOP_ENROLLMENT, default approve)")
    String enrollment;
    @Option(names = "--management-interval", description = "Seconds between heartbeats to the management server (env MANAGEMENT_HEARTBEAT_INTERVAL, default 30)")
    String managementInterval;
    @Option(names = "--management-token", description = "Token presented when registering with the management server (env MANAGEMENT_REGISTRATION_TOKEN)")
    String managementToken;
    @Option(names = "--heartbeat-interval", description = "Default agent heartbeat interval in seconds; silent for 3 intervals = offline (env CLASSTOP_HEARTBEAT_INTERVAL, default 30)")
    String heartbeatInterval;
    @Option(names = "--log-retention-days", description = "Days to keep command, connection and event logs (env CLASSTOP_LOG_RETENTION_DAYS, default 90)")
    String logRetentionDays;
    @Option(names = "--tls", description = "'self-signed': generate a certificate once into --data and serve HTTPS/WSS (env CLASSTOP_TLS)")
    String tls;
    @Option(names = "--tls-cert", description = "PEM certificate (chain) to serve HTTPS/WSS with (env CLASSTOP_TLS_CERT)")
    String tlsCert;
    @Option(names = "--tls-key", description = "PEM private key of --tls-cert (env CLASSTOP_TLS_KEY)")
    String tlsKey;
    @Option(names = "--http-port", description = "With TLS, also serve plain HTTP on this port (env CLASSTOP_HTTP_PORT; default none)")
    String httpPort;
    @Option(names = "--max-pending-clients", description = "Unapproved clients kept in memory, oldest dropped beyond (env CLASSTOP_MAX_PENDING_CLIENTS, default 1000)")
    String maxPendingClients;
    @Option(names = "--max-command-bytes", description = "Largest command (name and parameters as JSON) in bytes (env CLASSTOP_MAX_COMMAND_BYTES, default 262144)")
    String maxCommandBytes;
    @Option(names = "--metrics-public", arity = "0..1", fallbackValue = "true",
            description = "Serve GET /metrics without a token, for a Prometheus on a trusted network (env CLASSTOP_METRICS_PUBLIC=true)")
    String metricsPublic;
    @Option(names = "--plugin-start-timeout", description = "How long a plugin's lifecycle start() may take before the plugin is failed and skipped: seconds or 30s, 2m (env CLASSTOP_PLUGIN_START_TIMEOUT, default 30s)")
    String pluginStartTimeout;
    @Option(names = "--plugin-max-bytes", description = "Largest plugin jar an admin may upload, in bytes (env CLASSTOP_PLUGIN_MAX_BYTES, default 134217728)")
    String pluginMaxBytes;
    @Option(names = "--config", description = "Config file (env CLASSTOP_CONFIG, default <dist>/conf/classtop.properties)")
    String config;

    /** Started first thing in {@link #main}: the "started in" line counts from the JVM start. */
    private final StartPhases startPhases;

    Main() {
        this(StartPhases.fromNow());
    }

    private Main(StartPhases startPhases) {
        this.startPhases = startPhases;
    }

    public static void main(String[] args) {
        StartPhases startPhases = StartPhases.fromJvmStart();
        // Guice defines a class per injected type by default (about 150 at start, 30-40 ms of a start on one
        // core); with reflection instead it builds the same objects. Nothing here intercepts methods, which would
        // need those classes. -Dguice_bytecode_gen_option=... still wins.
        if (System.getProperty("guice_bytecode_gen_option") == null) {
            System.setProperty("guice_bytecode_gen_option", "DISABLED");
        }
        CommandLine commandLine = new CommandLine(new Main(startPhases));
        commandLine.setParameterExceptionHandler((ex, a) -> {
            System.err.println("classtop-lms: " + ex.getMessage() + " (see --help)");
            return 2;
        });
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() {
        ServerConfig serverConfig;
        try {
            serverConfig = resolve(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("classtop-lms: " + e.getMessage());
            return 2;
        }
        startPhases.end("config");
        ClassTopServer server = new ClassTopServer(serverConfig);
        try {
            server.start(startPhases);
        } catch (RuntimeException e) {
            LOG.error("Start-up failed", e);
            System.err.println("classtop-lms: could not start: " + rootMessage(e));
            server.stop();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }, "classtop-shutdown"));
        if (server.tls().enabled()) {
            System.out.println("TLS certificate SHA-256 fingerprint: " + server.tls().fingerprint());
        }
        System.out.println("classtop-lms listening on " + (server.tls().enabled() ? "https" : "http") + "://"
                + displayHost(serverConfig.bind()) + ":" + server.port());
        System.out.flush();
        try {
            // Once the start's work has settled (the warm-up, the JIT's first compilations), its freed native memory
            // goes back to the system; the main thread has nothing else to do.
            if (!stopped.await(TRIM_AFTER_START_SECONDS, TimeUnit.SECONDS)) {
                NativeHeap.trim();
            }
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    ServerConfig resolve(Map<String, String> env) {
        Path home = Path.of(System.getProperty("classtop.home", "."));
        String configPath = config != null ? config : env.getOrDefault("CLASSTOP_CONFIG", home.resolve("conf/classtop.properties").toString());
        Properties file = ConfigResolver.loadFile(Path.of(configPath));
        Map<String, String> flags = new HashMap<>();
        put(flags, "port", port);
        put(flags, "bind", bind);
        put(flags, "data", data);
        put(flags, "plugins", plugins);
        put(flags, "role", role);
        put(flags, "db-url", dbUrl);
        put(flags, "management-url", managementUrl);
        put(flags, "enrollment", enrollment);
        put(flags, "management-interval", managementInterval);
        put(flags, "management-token", managementToken);
        put(flags, "heartbeat-interval", heartbeatInterval);
        put(flags, "log-retention-days", logRetentionDays);
        put(flags, "tls", tls);
        put(flags, "tls-cert", tlsCert);
        put(flags, "tls-key", tlsKey);
        put(flags, "http-port", httpPort);
        put(flags, "max-pending-clients", maxPendingClients);
        put(flags, "max-command-bytes", maxCommandBytes);
        put(flags, "metrics-public", metricsPublic);
        put(flags, "plugin-start-timeout", pluginStartTimeout);
        put(flags, "plugin-max-bytes", pluginMaxBytes);
        ConfigResolver r = new ConfigResolver(flags, env, file);
        String db = r.lookup("db-url", "CLASSTOP_DB_URL").orElse(null);
        if (db != null && !db.startsWith("jdbc:postgresql:") && !db.startsWith("jdbc:sqlite:")) {
            throw new IllegalArgumentException("--db-url must be a jdbc:postgresql: URL (or jdbc:sqlite:), not '" + db + "'.");
        }
        Path dataDir = Path.of(r.string("data", "CLASSTOP_DATA_DIR", "./data")).toAbsolutePath().normalize();
        return ServerConfig.builder(dataDir)
                .port(r.integer("port", "CLASSTOP_PORT", 8000, 0, 65535))
                .bind(r.string("bind", "CLASSTOP_BIND", "0.0.0.0"))
                .pluginsDir(Path.of(r.string("plugins", "CLASSTOP_PLUGINS_DIR", home.resolve("plugins").toString())).toAbsolutePath().normalize())
                .role(r.choice("role", "CLASSTOP_ROLE", ServerRole.class, ServerRole.LMS))
                .dbUrl(db)
                .managementUrl(r.lookup("management-url", "MANAGEMENT_SERVER_URL").orElse(null))
                .enrollment(r.choice("enrollment", "CLASSTOP_ENROLLMENT", EnrollmentMode.class, EnrollmentMode.APPROVE))
                .adminToken(env.get("CLASSTOP_ADMIN_TOKEN"))
                .heartbeatInterval(Duration.ofSeconds(r.integer("heartbeat-interval", "CLASSTOP_HEARTBEAT_INTERVAL", 30, 1, 3600)))
                .commandTimeout(Duration.ofSeconds(30))
                .managementInterval(r.integer("management-interval", "MANAGEMENT_HEARTBEAT_INTERVAL", 30, 1, 86400))
                .managementToken(r.lookup("management-token", "MANAGEMENT_REGISTRATION_TOKEN").orElse(null))
                .logRetentionDays(r.integer("log-retention-days", "CLASSTOP_LOG_RETENTION_DAYS", 90, 1, 36500))
                .pluginConfig(r.dottedFileEntries())
                .tls(tls(r))
                .limits(limits(r))
                .metricsPublic(r.bool("metrics-public", "CLASSTOP_METRICS_PUBLIC", false))
                .pluginStartTimeout(pluginStartTimeout(r))
                .pluginMaxBytes(r.integer("plugin-max-bytes", "CLASSTOP_PLUGIN_MAX_BYTES",
                        (int) ServerConfig.DEFAULT_PLUGIN_MAX_BYTES, 1024, Integer.MAX_VALUE))
                .build();
    }

    private static ServerConfig.Tls tls(ConfigResolver r) {
        String mode = r.lookup("tls", "CLASSTOP_TLS").orElse(null);
        String cert = r.lookup("tls-cert", "CLASSTOP_TLS_CERT").orElse(null);
        String key = r.lookup("tls-key", "CLASSTOP_TLS_KEY").orElse(null);
        Integer httpPort = r.lookup("http-port", "CLASSTOP_HTTP_PORT").isPresent()
                ? r.integer("http-port", "CLASSTOP_HTTP_PORT", 0, 0, 65535) : null;
        if (mode != null && !mode.equals("self-signed")) {
            throw new IllegalArgumentException("--tls takes only 'self-signed' (or give --tls-cert and --tls-key), not '" + mode + "'.");
        }
        if (mode != null && (cert != null || key != null)) {
            throw new IllegalArgumentException("Give either --tls self-signed or --tls-cert with --tls-key, not both.");
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both PEM files.");
        }
        if (httpPort != null && mode == null && cert == null) {
            throw new IllegalArgumentException("--http-port is for an extra plain-HTTP port next to TLS; without TLS use --port.");
        }
        return new ServerConfig.Tls(cert == null ? null : Path.of(cert).toAbsolutePath().normalize(),
                key == null ? null : Path.of(key).toAbsolutePath().normalize(), mode != null, httpPort);
    }

    private static Duration pluginStartTimeout(ConfigResolver r) {
        String value = r.lookup("plugin-start-timeout", "CLASSTOP_PLUGIN_START_TIMEOUT").orElse(null);
        if (value == null) {
            return Duration.ofSeconds(30);
        }
        Duration timeout;
        try {
            timeout = org.classtop.api.SettingType.parseDuration(value);
        } catch (RuntimeException e) {
            timeout = null;
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("--plugin-start-timeout must be a duration between 1ms and 1h, such as 30s"
                    + " or 2m, not '" + value + "'.");
        }
        return timeout;
    }

    private static ServerConfig.AgentLimits limits(ConfigResolver r) {
        ServerConfig.AgentLimits d = ServerConfig.AgentLimits.DEFAULTS;
        return new ServerConfig.AgentLimits(
                r.integer("max-pending-clients", "CLASSTOP_MAX_PENDING_CLIENTS", d.maxPendingClients(), 1, 1_000_000),
                r.integer("pending-connects-per-minute", "CLASSTOP_PENDING_CONNECTS_PER_MINUTE", d.pendingConnectsPerMinute(), 1, 1_000_000),
                r.integer("max-event-bytes", "CLASSTOP_MAX_EVENT_BYTES", d.maxEventBytes(), 1024, 1 << 20),
                r.integer("events-per-minute", "CLASSTOP_EVENTS_PER_MINUTE", d.eventsPerMinute(), 1, 1_000_000),
                r.integer("max-unsent-bytes", "CLASSTOP_MAX_UNSENT_BYTES", (int) d.maxUnsentBytes(), 64 * 1024, 1 << 30),
                r.integer("max-command-bytes", "CLASSTOP_MAX_COMMAND_BYTES", d.maxCommandBytes(), 1024, 1 << 20));
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static String displayHost(String bind) {
        return "0.0.0.0".equals(bind) || "::".equals(bind) ? "localhost" : bind;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
