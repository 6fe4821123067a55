package org.classtop.plugins.managementsync.site;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.classtop.api.PluginContext;
import org.classtop.api.server.ServerInfo;

/**
 * The site part's settings: active only on an LMS ({@code --role lms}) started with {@code --management-url};
 * inert everywhere else. The flags come from {@link ServerInfo} (the token through its secret grant), the rest
 * from the plugin's settings ({@code management-sync.<name>} in {@code conf/classtop.properties} or the
 * environment variable {@code MANAGEMENT_SYNC_<NAME>}).
 */
@Singleton
public final class SiteSettings {
    /** Default bound of the outbox. */
    public static final int DEFAULT_OUTBOX_MAX = 10_000;

    private final ServerInfo server;
    private final PluginContext plugin;

    @Inject
    public SiteSettings(ServerInfo server, PluginContext plugin) {
        this.server = server;
        this.plugin = plugin;
    }

    /** Whether this server is an LMS that reports to a management server. */
    public boolean enabled() {
        return "lms".equals(server.role()) && server.flag("management-url").filter(u -> !u.isBlank()).isPresent();
    }

    public String role() {
        return server.role();
    }

    /** The centre's HTTP base, no trailing slash ({@code ws}/{@code wss} turned into {@code http}/{@code https}). */
    public String centreBase() {
        String url = server.flag("management-url").orElse("").trim();
        if (url.startsWith("ws://")) {
            url = "http://" + url.substring(5);
        } else if (url.startsWith("wss://")) {
            url = "https://" + url.substring(6);
        }
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return url;
    }

    /** The centre's agent endpoint {@code ws[s]://CENTRE/ws}. */
    public URI centreWebSocket() {
        String base = centreBase();
        String ws = base.startsWith("https://") ? "wss://" + base.substring(8) : "ws://" + base.substring("http://".length());
        return URI.create(ws + "/ws");
    }

    /** {@code --management-interval}, seconds between heartbeats (default 30). */
    public Duration heartbeatInterval() {
        String text = server.flag("management-interval").orElse("30");
        try {
            int seconds = Integer.parseInt(text.trim());
            return Duration.ofSeconds(Math.max(1, seconds));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(30);
        }
    }

    /** {@code --management-token}, offered to this plugin alone. */
    public Optional<String> registrationToken() {
        return server.secret("management-token");
    }

    /** Setting {@code outbox-max}: most entries the outbox keeps (default 10,000, at least 10). */
    public int outboxMax() {
        return Math.max(10, plugin.configInt("outbox-max", DEFAULT_OUTBOX_MAX));
    }

    /** Setting {@code site-name}: the LMS's name at the centre (default: the host name). */
    public String siteName() {
        return plugin.config("site-name").filter(n -> !n.isBlank()).orElseGet(SiteSettings::hostName);
    }

    /** Setting {@code site-host}: the address the centre shows for this LMS (default: the host name). */
    public String siteHost() {
        return plugin.config("site-host").filter(n -> !n.isBlank()).orElseGet(SiteSettings::hostName);
    }

    /** Setting {@code site-port}: the port the centre shows for this LMS (default 8000, SPEC's default port). */
    public int sitePort() {
        return plugin.configInt("site-port", 8000);
    }

    public String version() {
        return server.version();
    }

    /** Who the command log names for commands the centre relays. */
    public String relayRequester() {
        String text = "management:" + centreBase().toLowerCase(Locale.ROOT);
        return text.length() > 128 ? text.substring(0, 128) : text;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | SecurityException e) {
            return "classtop-lms";
        }
    }
}
