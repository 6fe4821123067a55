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
 * @param logRetentionDays command, connection and event log rows older than this are deleted
 * @param pluginConfig     every {@code <plugin-id>.<name>} key of the config file, for {@code PluginContext.config}
 */
public record ServerConfig(int port, String bind, Path dataDir, Path pluginsDir, Role role, String dbUrl,
                           String managementUrl, EnrollmentMode enrollment, String adminToken,
                           Duration heartbeatInterval, Duration commandTimeout, int managementInterval,
                           String managementToken, int logRetentionDays, Map<String, String> pluginConfig) {

    public enum Role { LMS, MANAGEMENT }

    public enum EnrollmentMode { TOKEN, APPROVE, OPEN }

    public Optional<String> adminTokenOpt() {
        return Optional.ofNullable(adminToken).filter(t -> !t.isBlank());
    }

    /** A configuration for tests and embedding: loopback, port 0, open enrolment unless changed. */
    public static ServerConfig forTests(Path dataDir) {
        return new ServerConfig(0, "127.0.0.1", dataDir, dataDir.resolve("plugins"), Role.LMS, null, null,
                EnrollmentMode.OPEN, null, Duration.ofSeconds(30), Duration.ofSeconds(30), 30, null, 90, Map.of());
    }

    public ServerConfig withEnrollment(EnrollmentMode mode) {
        return new ServerConfig(port, bind, dataDir, pluginsDir, role, dbUrl, managementUrl, mode, adminToken,
                heartbeatInterval, commandTimeout, managementInterval, managementToken, logRetentionDays, pluginConfig);
    }

    public ServerConfig withAdminToken(String token) {
        return new ServerConfig(port, bind, dataDir, pluginsDir, role, dbUrl, managementUrl, enrollment, token,
                heartbeatInterval, commandTimeout, managementInterval, managementToken, logRetentionDays, pluginConfig);
    }

    public ServerConfig withHeartbeatInterval(Duration interval) {
        return new ServerConfig(port, bind, dataDir, pluginsDir, role, dbUrl, managementUrl, enrollment, adminToken,
                interval, commandTimeout, managementInterval, managementToken, logRetentionDays, pluginConfig);
    }

    public ServerConfig withPluginsDir(Path dir) {
        return new ServerConfig(port, bind, dataDir, dir, role, dbUrl, managementUrl, enrollment, adminToken,
                heartbeatInterval, commandTimeout, managementInterval, managementToken, logRetentionDays, pluginConfig);
    }

    public ServerConfig withDbUrl(String url) {
        return new ServerConfig(port, bind, dataDir, pluginsDir, role, url, managementUrl, enrollment, adminToken,
                heartbeatInterval, commandTimeout, managementInterval, managementToken, logRetentionDays, pluginConfig);
    }

    /** The same configuration with these {@code <plugin-id>.<name>} settings, as if read from the config file. */
    public ServerConfig withPluginConfig(Map<String, String> settings) {
        return new ServerConfig(port, bind, dataDir, pluginsDir, role, dbUrl, managementUrl, enrollment, adminToken,
                heartbeatInterval, commandTimeout, managementInterval, managementToken, logRetentionDays,
                Map.copyOf(settings));
    }
}
