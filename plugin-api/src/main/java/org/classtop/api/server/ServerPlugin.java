package org.classtop.api.server;

import com.google.inject.Module;
import org.classtop.api.Lifecycle;
import org.classtop.api.ServiceBuilder;
import org.pf4j.ExtensionPoint;

/**
 * The server side of a plugin. Annotate the subclass with {@code @org.pf4j.Extension}.
 *
 * <pre>{@code
 * @Extension
 * public final class SettingsServerPlugin extends ServerPlugin {
 *     protected void configure() {
 *         route(GET, "/api/settings/{uuid}").summary("All settings of a client").to(GetAllSettings.class);
 *         uiPanel("settings").script("static/settings/panel.js").slot("client-detail").register();
 *         listen("client.connected").to(WelcomeListener.class);
 *         lifecycle(SettingsCache.class);
 *     }
 * }
 * }</pre>
 *
 * <p>{@code configure()} only declares: no I/O, no threads. The classes it names are created by the
 * platform through a Guice child injector of this plugin, which also offers {@link org.classtop.api.PluginContext},
 * {@link AgentCommands}, {@link Clients}, {@link Events}, {@link Database}, {@link ServerInfo} and
 * {@link org.classtop.api.Scheduler}. Database migrations are
 * found by convention under {@code db/<plugin-id>/common/} and {@code db/<plugin-id>/<sqlite|postgresql>/}.
 */
public abstract class ServerPlugin implements ExtensionPoint {
    private ServerBinder binder;

    /** Called by the platform once; records the declarations into {@code binder}. */
    public final synchronized void configure(ServerBinder binder) {
        this.binder = binder;
        try {
            configure();
        } finally {
            this.binder = null;
        }
    }

    protected abstract void configure();

    protected final RouteBuilder route(HttpMethod method, String pathTemplate) {
        return binder().route(method, pathTemplate);
    }

    /** A browser WebSocket route, e.g. {@code webSocket("/api/video/{id}/ws").to(LiveVideo.class)}. */
    protected final WebSocketBuilder webSocket(String pathTemplate) {
        return binder().webSocket(pathTemplate);
    }

    protected final UiPanelBuilder uiPanel(String name) {
        return binder().uiPanel(name);
    }

    protected final ListenerBuilder listen(String eventPattern) {
        return binder().listen(eventPattern);
    }

    protected final void lifecycle(Class<? extends Lifecycle> service) {
        binder().lifecycle(service);
    }

    /**
     * Receives the binary streams the agent side of this plugin sends ({@code BinaryStreams}): a name
     * relative to the plugin ({@code "preview"}), a prefix ({@code "preview.*"}) or {@code "*"}.
     */
    protected final AgentStreamBuilder agentStreams(String pattern) {
        return binder().agentStreams(pattern);
    }

    /** Extra Guice bindings of the plugin's own (bind only: no I/O, no branching). */
    protected final void install(Module module) {
        binder().install(module);
    }

    /**
     * Offers {@code service}, an interface of this plugin's jar, to the plugins that list this one in
     * {@code Plugin-Dependencies}: {@code export(FrameSource.class).to(DefaultFrameSource.class);}. They
     * {@code @Inject FrameSource} and all get the same instance.
     */
    protected final <T> ServiceBuilder<T> export(Class<T> service) {
        return binder().export(service);
    }

    /** The plugin's description in another language, e.g. {@code description("zh-CN", "...")}. */
    protected final void description(String language, String text) {
        binder().description(language, text);
    }

    /**
     * Admits agent connections of one {@code client_type} by the plugin's own credentials:
     * {@code agentAuthenticator("lms").to(LmsConnections.class)} (see {@link AgentAuthenticator}).
     */
    protected final AgentAuthenticatorBuilder agentAuthenticator(String clientType) {
        return binder().agentAuthenticator(clientType);
    }

    /** A setting an admin may change on the Plugins page; see {@link SettingBuilder}. */
    protected final SettingBuilder setting(String name) {
        return binder().setting(name);
    }

    private ServerBinder binder() {
        if (binder == null) {
            throw new IllegalStateException("declarations are only possible inside configure()");
        }
        return binder;
    }
}
