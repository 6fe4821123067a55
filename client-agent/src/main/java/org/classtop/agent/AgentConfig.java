package org.classtop.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything the agent was told on start. Immutable; build with {@link #builder(URI)}.
 *
 * @param serverUrl      the server as the user wrote it ({@code http://host:port}); ws/wss are accepted too
 * @param clientUuid     the uuid from {@code --uuid}, or null to use (or generate) the persisted one
 * @param name           the name shown in the admin UI
 * @param dataDir        where {@code agent.json} and the plugins' data live
 * @param enrollmentToken the {@code --token} presented until the server issues a credential, or null
 * @param pluginsDir     the folder of plugin jars, or null to load none from disk
 * @param heartbeat      the interval between heartbeats
 * @param managementUrl  the management server for the dual mode, or null
 * @param serverFingerprint the SHA-256 fingerprint the server's TLS certificate must have
 *                       ({@code --server-fingerprint}, 64 lower-case hex digits), or null
 * @param managementToken the token presented to the management server to register this client
 *                       ({@code --management-token}, {@code MANAGEMENT_REGISTRATION_TOKEN}), or null
 * @param pluginStartTimeout how long one plugin lifecycle's {@code start()} may take before the plugin is failed
 */
public record AgentConfig(URI serverUrl, String clientUuid, String name, Path dataDir, String enrollmentToken,
                          Path pluginsDir, Duration heartbeat, URI managementUrl, ConnectionMode connectionMode,
                          Duration syncInterval, Duration connectTimeout, String serverFingerprint,
                          String managementToken, Duration pluginStartTimeout) {

    /** The longest heartbeat interval a server accepts. */
    public static final Duration MAX_HEARTBEAT = Duration.ofHours(1);

    private static final Pattern UUID_TEXT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public AgentConfig {
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(connectionMode, "connectionMode");
        Objects.requireNonNull(syncInterval, "syncInterval");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(pluginStartTimeout, "pluginStartTimeout");
        if (pluginStartTimeout.isNegative() || pluginStartTimeout.isZero() || pluginStartTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("--plugin-start-timeout must be a duration between 1ms and 1h, such as 30s.");
        }
        checkServerUrl(serverUrl, "--server");
        if (managementUrl != null) {
            checkServerUrl(managementUrl, "--management-url");
        } else if (connectionMode != ConnectionMode.LMS_ONLY) {
            throw new IllegalArgumentException("--connection-mode " + connectionMode.flagValue()
                    + " needs --management-url (or MANAGEMENT_SERVER_URL).");
        }
        if (managementToken != null && managementToken.isBlank()) {
            managementToken = null;
        }
        if (clientUuid != null) {
            checkClientUuid(clientUuid);
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("The agent name must not be empty.");
        }
        if (heartbeat.isNegative() || heartbeat.isZero() || heartbeat.compareTo(MAX_HEARTBEAT) > 0) {
            throw new IllegalArgumentException("The heartbeat interval must be positive and at most "
                    + MAX_HEARTBEAT.toSeconds() + " seconds.");
        }
        if (syncInterval.isNegative() || syncInterval.isZero()) {
            throw new IllegalArgumentException("The sync interval must be positive.");
        }
        if (enrollmentToken != null && enrollmentToken.isBlank()) {
            enrollmentToken = null;
        }
        serverFingerprint = serverFingerprint == null || serverFingerprint.isBlank() ? null
                : ServerFingerprint.parse(serverFingerprint);
    }

    public static Builder builder(URI serverUrl) {
        return new Builder(serverUrl);
    }

    public Builder toBuilder() {
        return new Builder(serverUrl).clientUuid(clientUuid).name(name).dataDir(dataDir).enrollmentToken(enrollmentToken)
                .pluginsDir(pluginsDir).heartbeat(heartbeat).managementUrl(managementUrl).connectionMode(connectionMode)
                .syncInterval(syncInterval).connectTimeout(connectTimeout).serverFingerprint(serverFingerprint)
                .managementToken(managementToken).pluginStartTimeout(pluginStartTimeout);
    }

    public Optional<String> fixedClientUuid() {
        return Optional.ofNullable(clientUuid);
    }

    public Optional<String> token() {
        return Optional.ofNullable(enrollmentToken);
    }

    public Optional<Path> pluginsFolder() {
        return Optional.ofNullable(pluginsDir);
    }

    /** The fingerprint the server's certificate is pinned to by {@code --server-fingerprint}, if given. */
    public Optional<String> pinnedFingerprint() {
        return Optional.ofNullable(serverFingerprint);
    }

    /**
     * Where the agent's WebSocket goes: the management server in {@code management_only}, else {@code --server}
     * (the LMS; in {@code both} the management server gets only HTTP syncs).
     */
    public URI connectionUrl() {
        return connectionMode == ConnectionMode.MANAGEMENT_ONLY ? managementUrl : serverUrl;
    }

    /** The management server's HTTP base ({@code ws}/{@code wss} turned into {@code http}/{@code https}), no trailing slash or {@code /ws}. */
    public Optional<String> managementHttpBase() {
        if (managementUrl == null) {
            return Optional.empty();
        }
        return Optional.of(PluginDownloader.httpBase(managementUrl)); // one ws→http rule for both servers
    }

    public Optional<String> registrationToken() {
        return Optional.ofNullable(managementToken);
    }

    /** Whether the connection URL asks for TLS (https or wss). */
    public boolean usesTls() {
        String scheme = connectionUrl().getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("https") || scheme.equals("wss");
    }

    /** The WebSocket endpoint for this client: {@code ws[s]://host:port[/prefix]/ws/{uuid}}. */
    public URI webSocketUri(String uuid) {
        checkClientUuid(uuid);
        String wsScheme = usesTls() ? "wss" : "ws";
        URI target = connectionUrl();
        String path = target.getRawPath() == null ? "" : target.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.endsWith("/ws")) {
            path = path + "/ws";
        }
        String authority = target.getRawAuthority();
        return URI.create(wsScheme + "://" + authority + path + "/" + uuid);
    }

    /** The connection URL without a trailing slash, as printed in the readiness line. */
    public String serverDisplay() {
        String text = connectionUrl().toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    static void checkClientUuid(String uuid) {
        if (!UUID_TEXT.matcher(uuid).matches()) {
            throw new IllegalArgumentException("The client uuid '" + uuid
                    + "' must be 1 to 64 letters, digits, dots, dashes or underscores.");
        }
    }

    private static void checkServerUrl(URI url, String flag) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https") || scheme.equals("ws") || scheme.equals("wss"))) {
            throw new IllegalArgumentException(flag + " '" + url + "' must start with http://, https://, ws:// or wss://.");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException(flag + " '" + url + "' has no host name.");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException(flag + " '" + url + "' must not have a query or a fragment.");
        }
    }

    /** Fills in the defaults of the run contract; only the server URL is required. */
    public static final class Builder {
        private final URI serverUrl;
        private String clientUuid;
        private String name = "classtop-agent";
        private Path dataDir = Path.of("agent-data");
        private String enrollmentToken;
        private Path pluginsDir;
        private Duration heartbeat = Duration.ofSeconds(30);
        private URI managementUrl;
        private ConnectionMode connectionMode = ConnectionMode.LMS_ONLY;
        private Duration syncInterval = Duration.ofSeconds(300);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private String serverFingerprint;
        private String managementToken;
        private Duration pluginStartTimeout = Duration.ofSeconds(30);

        private Builder(URI serverUrl) {
            this.serverUrl = serverUrl;
        }

        public Builder clientUuid(String value) {
            this.clientUuid = value;
            return this;
        }

        public Builder name(String value) {
            this.name = value;
            return this;
        }

        public Builder dataDir(Path value) {
            this.dataDir = value;
            return this;
        }

        public Builder enrollmentToken(String value) {
            this.enrollmentToken = value;
            return this;
        }

        public Builder pluginsDir(Path value) {
            this.pluginsDir = value;
            return this;
        }

        public Builder heartbeat(Duration value) {
            this.heartbeat = value;
            return this;
        }

        public Builder managementUrl(URI value) {
            this.managementUrl = value;
            return this;
        }

        public Builder connectionMode(ConnectionMode value) {
            this.connectionMode = value;
            return this;
        }

        public Builder syncInterval(Duration value) {
            this.syncInterval = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        /** Pins the server's TLS certificate: 64 hex digits, colons allowed (see {@link AgentConfig#serverFingerprint}). */
        public Builder serverFingerprint(String value) {
            this.serverFingerprint = value;
            return this;
        }

        /** The token that registers this client with the management server ({@code --management-token}). */
        public Builder managementToken(String value) {
            this.managementToken = value;
            return this;
        }

        /** How long one plugin lifecycle's {@code start()} may take ({@code --plugin-start-timeout}, default 30 s). */
        public Builder pluginStartTimeout(Duration value) {
            this.pluginStartTimeout = value;
            return this;
        }

        public AgentConfig build() {
            return new AgentConfig(serverUrl, clientUuid, name, dataDir, enrollmentToken, pluginsDir, heartbeat,
                    managementUrl, connectionMode, syncInterval, connectTimeout, serverFingerprint, managementToken,
                    pluginStartTimeout);
        }
    }
}
