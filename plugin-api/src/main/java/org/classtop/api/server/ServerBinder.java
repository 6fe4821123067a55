package org.classtop.api.server;

import com.google.inject.Module;
import org.classtop.api.Lifecycle;
import org.classtop.api.ServiceBuilder;

/** What {@link ServerPlugin#configure()} talks to; implemented by the platform. */
public interface ServerBinder {
    RouteBuilder route(HttpMethod method, String pathTemplate);

    WebSocketBuilder webSocket(String pathTemplate);

    UiPanelBuilder uiPanel(String name);

    ListenerBuilder listen(String eventPattern);

    void lifecycle(Class<? extends Lifecycle> service);

    void install(Module module);

    /**
     * Offers {@code service} (an interface in this plugin's jar) to the plugins that depend on this one
     * ({@code Plugin-Dependencies}); they simply {@code @Inject} it. One instance, shared by all of them.
     */
    <T> ServiceBuilder<T> export(Class<T> service);

    /**
     * Receives the binary streams of this plugin's agent side: {@code pattern} is a stream name relative to
     * the plugin ({@code "preview"}), a prefix ({@code "preview.*"}) or {@code "*"} for all of them.
     */
    AgentStreamBuilder agentStreams(String pattern);

    /**
     * The plugin's description in another language (the English one is the jar's {@code Plugin-Description}),
     * e.g. {@code description("zh-CN", "读取和修改客户端的设置")}; served in {@code GET /api/plugins}.
     */
    void description(String language, String text);

    /**
     * Admits agent connections whose register frame names {@code clientType} by this plugin's own credentials
     * ({@link AgentAuthenticator}) instead of the platform's enrolment. One plugin per client type.
     */
    AgentAuthenticatorBuilder agentAuthenticator(String clientType);

    /**
     * Declares a setting an admin may change on the Plugins page ({@link SettingBuilder}); name: 1 to 64
     * letters, digits, '.', '_' or '-', starting with a letter: the name the plugin passes to
     * {@code PluginContext.config} (e.g. {@code poll-interval} or {@code POLL_INTERVAL}).
     */
    SettingBuilder setting(String name);
}
