package org.classtop.plugins.managementsync.site;

import static org.classtop.api.server.HttpMethod.GET;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Scopes;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.classtop.api.Lifecycle;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.ListenerBuilder;
import org.classtop.api.server.RouteBuilder;
import org.classtop.api.server.UiPanelBuilder;

/**
 * Everything the site (LMS) part declares, called once from {@code ManagementSyncServerPlugin.configure()}:
 * <pre>{@code
 * SiteBindings.declare(this::route, this::uiPanel, this::listen, this::lifecycle, this::install);
 * }</pre>
 * Declarations only (no I/O, no branching): the part is inert at run time unless the server is an LMS started
 * with {@code --management-url} ({@link SiteSettings#enabled()}); its status route then says {@code enabled:false}.
 */
public final class SiteBindings {
    private SiteBindings() {
    }

    public static void declare(BiFunction<HttpMethod, String, RouteBuilder> route, Function<String, UiPanelBuilder> uiPanel,
                               Function<String, ListenerBuilder> listen, Consumer<Class<? extends Lifecycle>> lifecycle,
                               Consumer<Module> install) {
        install.accept(new AbstractModule() {
            @Override
            protected void configure() {
                bind(SiteSettings.class).in(Scopes.SINGLETON);
                bind(SiteIdentity.class).in(Scopes.SINGLETON);
                bind(SiteOutbox.class).in(Scopes.SINGLETON);
                bind(SiteLink.class).in(Scopes.SINGLETON);
            }
        });
        route.apply(GET, "/api/management-sync/status")
                .summary("This LMS's link to its management server")
                .description("Whether this LMS reports to a management server (--management-url), its lms_uuid and "
                        + "lms_id there, whether the WebSocket to the centre is open, and the outbox: what the LMS "
                        + "still owes the centre (size, bound, entries dropped because it was full, entries the centre "
                        + "refused, entries sent), the last heartbeat and the last error.")
                .responseExample("{\"enabled\":true,\"role\":\"lms\",\"management_url\":\"http://centre.example:8000\","
                        + "\"lms_uuid\":\"5b0c…\",\"lms_id\":\"12\",\"registered\":true,\"connected\":true,"
                        + "\"heartbeat_interval\":30,\"outbox\":{\"size\":0,\"max\":10000,\"dropped\":0,\"rejected\":0,"
                        + "\"sent\":42},\"last_sent_at\":\"2026-12-03T13:00:00Z\",\"last_heartbeat_at\":"
                        + "\"2026-12-03T13:00:00Z\",\"relayed\":3,\"last_error\":null}")
                .to(StatusRoute.class);
        uiPanel.apply("management-sync-site")
                .script("static/management-sync/site-status.js")
                .element("classtop-management-sync-site")
                .slot("dashboard-card")
                .title("Management server")
                .title("zh-CN", "管理服务器")
                .register();
        listen.apply("client.*").to(ClientChanges.class);
        lifecycle.accept(SiteLink.class);
    }
}
