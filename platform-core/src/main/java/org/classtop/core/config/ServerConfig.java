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
 */
public record ServerConfig(int port, String bind, Path dataDir, Path pluginsDir, Role role, String dbUrl,
                           String managementUrl, EnrollmentMode enrollment, String adminToken,
                           Duration heartbeatInterval, Duration commandTimeout, int managementInterval,
                           String managementToken, int logRetentionDays, Map<String, String> pluginConfig,
                           Tls tls, AgentLimits limits) {

    public enum Role { LMS, MANAGEMENT }

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
        if (managementToken != null && !managementToken.isBlank()) {
            flags.put("management-token", managementToken);
        }
        return Map.copyOf(flags);
    }

    /** A configuration for tests and embedding: loopback, port 0, open enrolment unless changed. */
    public static ServerConfig forTests(Path dataDir) {
        return new ServerConfig(0, "127.0.0.1", dataDir, dataDir.resolve("plugins"), Role.LMS, null, null,
                EnrollmentMode.OPEN, null, Duration.ofSeconds(30), Duration.ofSeconds(30), 30, null, 90, Map.of(),
                Tls.NONE, AgentLimits.DEFAULTS);
    }

    public ServerConfig withEnrollment(EnrollmentMode mode) {
        return new ServerConfig(port, bind, dataDir, pluginsDir, role, dbUrl, managementUrl, mode, adminToken,
                heartbeatInterval, commandTimeout, managementInterval, managementToken, logRetentionDays, pluginConfig,
                tls, limits);
    }

    public ServerConfig withAdminToken(String token) {
        return new ServerConfig(port, bind, dataDir, pluginsDir, role, dbUrl, managementUrl, enrollment, token,
                heartbeatInterval, commandTimeout, managementInterval, managementToken, logRetentionDays, pluginConfig,
                tls, limits);
    }

    public ServerConfig withHeartbeatInterval(Duration interval) {
        return new ServerConfig(port, bind, dataDir, pluginsDir, role, dbUrl, managementUrl, enrollment, adminToken,
                interval, commandTimeout, managementInterval, managementToken, logRetentionDays, pluginConfig,
                tls, limits);
    }

    public ServerConfig withPluginsDir(Path dir) {
        return new ServerConfig(port, bind, dataDir, dir, role, dbUrl, managementUrl, enrollment, adminToken,
                heartbeatInterval, commandTimeout, managementInterval, managementToken, logRetentionDays, pluginConfig,
                tls, limits);
    }

    public ServerConfig withDbUrl(String url) {
        return new ServerConfig(port, bind, dataDir, pluginsDir, role, url, managementUrl, enrollment, adminToken,
                heartbeatInterval, commandTimeout, managementInterval, managementToken, logRetentionDays, pluginConfig,
                tls, limits);
    }

    /** The same configuration with these {@code <plugin-id>.<name>} settings, as if read from the config file. */
    public ServerConfig withPluginConfig(Map<String, String> settings) {
        return new ServerConfig(port, bind, dataDir, pluginsDir, role, dbUrl, managementUrl, enrollment, adminToken,
                heartbeatInterval, commandTimeout, managementInterval, managementToken, logRetentionDays,
                Map.copyOf(settings), tls, limits);
    }

    public ServerConfig withTls(Tls value) {
        return new ServerConfig(port, bind, dataDir, pluginsDir, role, dbUrl, managementUrl, enrollment, adminToken,
                heartbeatInterval, commandTimeout, managementInterval, managementToken, logRetentionDays, pluginConfig,
                value, limits);
    }

    public ServerConfig withLimits(AgentLimits value) {
        return new ServerConfig(port, bind, dataDir, pluginsDir, role, dbUrl, managementUrl, enrollment, adminToken,
                heartbeatInterval, commandTimeout, managementInterval, managementToken, logRetentionDays, pluginConfig,
                tls, value);
    }
}
