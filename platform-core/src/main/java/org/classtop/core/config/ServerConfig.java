package org.classtop.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The server's resolved configuration (flag beats environment beats config file beats default).
 *
 * @param dbUrl            null for SQLite in {@code dataDir}
 * @param adminToken       {@code CLASSTOP_ADMIN_TOKEN}, or null
 * @param heartbeatInterval default agent heartbeat interval; an agent may announce its own
 * @param logRetentionDays command, connection, event and audit log rows older than this are deleted
 * @param pluginConfig     every {@code <plugin-id>.<name>} key of the config file, for {@code PluginContext.config}
 * @param tls              TLS for the listener (SPEC section 8), {@link Tls#NONE} for plain HTTP
 * @param limits           what one agent may cost the server
 * @param metricsPublic    {@code GET /metrics} without a token ({@code --metrics-public}, SPEC section 8)
 * @param pluginStartTimeout how long one plugin lifecycle's {@code start()} may take before the plugin is failed
 * @param pluginMaxBytes   largest plugin jar an admin may upload ({@code --plugin-max-bytes}, SPEC section 7)
 */
public record ServerConfig(int port, String bind, Path dataDir, Path pluginsDir, ServerRole role, String dbUrl,
                           String managementUrl, EnrollmentMode enrollment, String adminToken,
                           Duration heartbeatInterval, Duration commandTimeout, int managementInterval,
                           String managementToken, int logRetentionDays, Map<String, String> pluginConfig,
                           Tls tls, AgentLimits limits, boolean metricsPublic, Duration pluginStartTimeout,
                           long pluginMaxBytes) {
    /** The default {@code --plugin-max-bytes}: 128 MiB. */
    public static final long DEFAULT_PLUGIN_MAX_BYTES = 128L << 20;

    public enum EnrollmentMode { TOKEN, APPROVE, OPEN }

    /**
     * TLS settings. With a certificate (PEM files, or one generated once into the data folder for
     * {@code --tls self-signed}) {@code port} serves HTTPS/WSS; plain HTTP is served only on {@code httpPort}.
     *
     * @param certFile  PEM certificate chain, or null
     * @param keyFile   PEM private key, or null
     * @param selfSigned generate (once) and use a self-signed certificate kept in the data folder
     * @param httpPort  an extra plain-HTTP port next to TLS, or null for none
     */
    public record Tls(Path certFile, Path keyFile, boolean selfSigned, Integer httpPort) {
        public static final Tls NONE = new Tls(null, null, false, null);

        public boolean enabled() {
            return selfSigned || certFile != null;
        }
    }

    /**
     * Bounds on what one agent (or a crowd of unapproved ones) can cost the server.
     *
     * @param maxPendingClients          pending (unapproved) clients kept in memory; the oldest is dropped beyond it
     * @param pendingConnectsPerMinute   new pending registrations accepted per source address and minute
     * @param maxEventBytes              largest accepted agent event (its JSON frame)
     * @param eventsPerMinute            events kept per agent and minute (a burst of this many is allowed)
     * @param maxUnsentBytes             bytes queued to one agent and not yet written to its socket
     * @param maxCommandBytes            largest command frame (name and parameters as JSON)
     */
    public record AgentLimits(int maxPendingClients, int pendingConnectsPerMinute, int maxEventBytes,
                              int eventsPerMinute, long maxUnsentBytes, int maxCommandBytes) {
        public static final AgentLimits DEFAULTS = new AgentLimits(1000, 60, 64 * 1024, 600, 8L << 20, 256 * 1024);
    }

    public Optional<String> adminTokenOpt() {
        return Optional.ofNullable(adminToken).filter(t -> !t.isBlank());
    }

    /**
     * The flags of SPEC section 2 a plugin may read through {@code ServerInfo.flags()}, by flag name: the
     * ones the management plugins need, nothing else (no ports, paths of secrets or the admin token).
     */
    public Map<String, String> pluginVisibleFlags() {
        Map<String, String> flags = new java.util.LinkedHashMap<>();
        flags.put("role", role.name().toLowerCase(java.util.Locale.ROOT));
        flags.put("enrollment", enrollment.name().toLowerCase(java.util.Locale.ROOT));
        if (managementUrl != null && !managementUrl.isBlank()) {
            flags.put("management-url", managementUrl);
        }
        flags.put("management-interval", Integer.toString(managementInterval));
        return Map.copyOf(flags);
    }

    /** A configuration for tests and embedding: loopback, port 0, open enrolment; change it with {@link #toBuilder()}. */
    public static ServerConfig forTests(Path dataDir) {
        return builder(dataDir).port(0).bind("127.0.0.1").enrollment(EnrollmentMode.OPEN).build();
    }

    /** The defaults of a server started without flags, with {@code dataDir} and its {@code plugins} folder. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a {@link ServerConfig}; every value starts at the server's default. */
    public static final class Builder {
        private int port = 8000;
        private String bind = "0.0.0.0";
        private Path dataDir;
        private Path pluginsDir;
        private ServerRole role = ServerRole.LMS;
        private String dbUrl;
        private String managementUrl;
        private EnrollmentMode enrollment = EnrollmentMode.APPROVE;
        private String adminToken;
        private Duration heartbeatInterval = Duration.ofSeconds(30);
        private Duration commandTimeout = Duration.ofSeconds(30);
        private int managementInterval = 30;
        private String managementToken;
        private int logRetentionDays = 90;
        private Map<String, String> pluginConfig = Map.of();
        private Tls tls = Tls.NONE;
        private AgentLimits limits = AgentLimits.DEFAULTS;
        private boolean metricsPublic;
        private Duration pluginStartTimeout = Duration.ofSeconds(30);
        private long pluginMaxBytes = DEFAULT_PLUGIN_MAX_BYTES;

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
            this.pluginsDir = dataDir == null ? null : dataDir.resolve("plugins");
        }

        private Builder(ServerConfig c) {
            port = c.port;
            bind = c.bind;
            dataDir = c.dataDir;
            pluginsDir = c.pluginsDir;
            role = c.role;
            dbUrl = c.dbUrl;
            managementUrl = c.managementUrl;
            enrollment = c.enrollment;
            adminToken = c.adminToken;
            heartbeatInterval = c.heartbeatInterval;
            commandTimeout = c.commandTimeout;
            managementInterval = c.managementInterval;
            managementToken = c.managementToken;
            logRetentionDays = c.logRetentionDays;
            pluginConfig = c.pluginConfig;
            tls = c.tls;
            limits = c.limits;
            metricsPublic = c.metricsPublic;
            pluginStartTimeout = c.pluginStartTimeout;
            pluginMaxBytes = c.pluginMaxBytes;
        }

        public Builder pluginMaxBytes(long value) {
            pluginMaxBytes = value;
            return this;
        }

        public Builder metricsPublic(boolean value) {
            metricsPublic = value;
            return this;
        }

        public Builder pluginStartTimeout(Duration value) {
            pluginStartTimeout = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder bind(String value) {
            bind = value;
            return this;
        }

        public Builder dataDir(Path value) {
            dataDir = value;
            return this;
        }

        public Builder pluginsDir(Path value) {
            pluginsDir = value;
            return this;
        }

        public Builder role(ServerRole value) {
            role = value;
            return this;
        }

        /** Null for SQLite in the data folder. */
        public Builder dbUrl(String value) {
            dbUrl = value;
            return this;
        }

        public Builder managementUrl(String value) {
            managementUrl = value;
            return this;
        }

        public Builder enrollment(EnrollmentMode value) {
            enrollment = value;
            return this;
        }

        public Builder adminToken(String value) {
            adminToken = value;
            return this;
        }

        public Builder heartbeatInterval(Duration value) {
            heartbeatInterval = value;
            return this;
        }

        public Builder commandTimeout(Duration value) {
            commandTimeout = value;
            return this;
        }

        public Builder managementInterval(int seconds) {
            managementInterval = seconds;
            return this;
        }

        public Builder managementToken(String value) {
            managementToken = value;
            return this;
        }

        public Builder logRetentionDays(int days) {
            logRetentionDays = days;
            return this;
        }

        /** The {@code <plugin-id>.<name>} settings, as if read from the config file. */
        public Builder pluginConfig(Map<String, String> settings) {
            pluginConfig = Map.copyOf(settings);
            return this;
        }

        public Builder tls(Tls value) {
            tls = value;
            return this;
        }

        public Builder limits(AgentLimits value) {
            limits = value;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(port, bind, dataDir, pluginsDir, role, dbUrl, managementUrl, enrollment, adminToken,
                    heartbeatInterval, commandTimeout, managementInterval, managementToken, logRetentionDays,
                    pluginConfig, tls, limits, metricsPublic, pluginStartTimeout, pluginMaxBytes);
        }
    }
}
