package org.classtop.agent;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * The flags of {@code bin/classtop-agent} (SPEC section 2). A flag not given comes from the environment
 * variable {@code CLASSTOP_AGENT_<FLAG>}, then from {@code conf/agent.properties} ({@link AgentDefaults}).
 */
@Command(name = "classtop-agent", mixinStandardHelpOptions = true, versionProvider = AgentCommandLine.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Connects this machine to a ClassTop server, runs the commands of its plugins and reports their state.")
final class AgentCommandLine {

    @Option(names = "--server", paramLabel = "URL",
            description = "Required. The server, e.g. http://lms.school.example:8000 (https for wss).")
    String server;

    @Option(names = "--server-fingerprint", paramLabel = "SHA256",
            description = "Pins the server's TLS certificate: its SHA-256 fingerprint as the server prints it at start "
                    + "(64 hex digits, colons allowed). The agent then accepts exactly that certificate. Without it, a "
                    + "certificate this machine trusts is accepted, and a self-signed one is trusted on first use "
                    + "(at enrolment) and kept in the data folder.")
    String serverFingerprint;

    @Option(names = "--uuid", paramLabel = "UUID",
            description = "The client uuid; generated once and kept in the data folder when absent.")
    String uuid;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The name shown in the admin UI (default: the host name).")
    String name;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./agent-data",
            description = "The data folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "An enrolment token, presented until the server issues this agent its own credential.")
    String token;

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "The plugins folder (default: <dist>/plugins).")
    Path plugins;

    @Option(names = "--heartbeat", paramLabel = "SECONDS", defaultValue = "30",
            description = "Seconds between heartbeats (default: ${DEFAULT-VALUE}).")
    long heartbeatSeconds;

    @Option(names = "--management-url", paramLabel = "URL",
            description = "The management server, for the connection modes management_only and both.")
    String managementUrl;

    @Option(names = "--connection-mode", paramLabel = "MODE", converter = ModeConverter.class,
            defaultValue = "lms_only",
            description = "lms_only, management_only or both (default: ${DEFAULT-VALUE}).")
    ConnectionMode connectionMode;

    @Option(names = "--sync-interval", paramLabel = "SECONDS", defaultValue = "300",
            description = "Seconds between syncs with the management server (default: ${DEFAULT-VALUE}).")
    long syncIntervalSeconds;

    @Option(names = "--management-token", paramLabel = "TOKEN",
            description = "The token that registers this client with the management server (its admin token or an "
                    + "enrolment token it issued); also MANAGEMENT_REGISTRATION_TOKEN.")
    String managementToken;

    @Option(names = "--plugin-start-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long a plugin's start may take before the plugin is failed and skipped: seconds or "
                    + "30s, 2m (default: ${DEFAULT-VALUE}).")
    String pluginStartTimeout;

    /** The validated configuration; an IllegalArgumentException carries a one-line reason. */
    AgentConfig toConfig() {
        if ((server == null || server.isBlank()) && connectionMode == ConnectionMode.MANAGEMENT_ONLY
                && managementUrl != null && !managementUrl.isBlank()) {
            server = managementUrl; // management_only: the centre is the only server
        }
        if (server == null || server.isBlank()) {
            throw new IllegalArgumentException("Missing required option '--server=URL' (or CLASSTOP_AGENT_SERVER, "
                    + "or server= in conf/agent.properties).");
        }
        if (heartbeatSeconds <= 0 || heartbeatSeconds > AgentConfig.MAX_HEARTBEAT.toSeconds()) {
            throw new IllegalArgumentException("--heartbeat must be between 1 and " + AgentConfig.MAX_HEARTBEAT.toSeconds()
                    + " seconds, not " + heartbeatSeconds + ".");
        }
        if (syncIntervalSeconds <= 0) {
            throw new IllegalArgumentException("--sync-interval must be a positive number of seconds, not "
                    + syncIntervalSeconds + ".");
        }
        return AgentConfig.builder(url("--server", server))
                .clientUuid(blankToNull(uuid))
                .name(name == null || name.isBlank() ? hostName() : name.trim())
                .dataDir(data)
                .enrollmentToken(blankToNull(token))
                .pluginsDir(plugins != null ? plugins : defaultPluginsDir())
                .heartbeat(Duration.ofSeconds(heartbeatSeconds))
                .managementUrl(managementUrl == null || managementUrl.isBlank() ? null : url("--management-url", managementUrl))
                .connectionMode(connectionMode)
                .syncInterval(Duration.ofSeconds(syncIntervalSeconds))
                .serverFingerprint(blankToNull(serverFingerprint))
                .managementToken(blankToNull(managementToken))
                .pluginStartTimeout(startTimeout(pluginStartTimeout))
                .build();
    }

    private static Duration startTimeout(String text) {
        try {
            return org.classtop.api.SettingType.parseDuration(text == null ? "30s" : text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--plugin-start-timeout must be a duration such as 30s or 2m, not '"
                    + text + "'.");
        }
    }

    /** {@code <classtop.home>/plugins} when the launcher set it, else {@code ./plugins}. */
    static Path defaultPluginsDir() {
        String home = System.getProperty("classtop.home");
        return home == null || home.isBlank() ? Path.of("plugins") : Path.of(home, "plugins");
    }

    static String hostName() {
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (host != null && !host.isBlank()) {
                return host;
            }
        } catch (UnknownHostException | SecurityException e) {
            // fall through to the environment
        }
        for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return "classtop-agent";
    }

    private static URI url(String flag, String text) {
        try {
            return new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(flag + " '" + text + "' is not a URL: " + e.getReason() + ".");
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    static final class ModeConverter implements ITypeConverter<ConnectionMode> {
        @Override
        public ConnectionMode convert(String value) {
            try {
                return ConnectionMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"classtop-agent " + AgentVersion.current()};
        }
    }
}
