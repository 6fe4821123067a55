package org.classtop.api.server;

import com.google.inject.Module;
import org.classtop.api.Lifecycle;

/** What {@link ServerPlugin#configure()} talks to; implemented by the platform. */
public interface ServerBinder {
    RouteBuilder route(HttpMethod method, String pathTemplate);

    UiPanelBuilder uiPanel(String name);

    ListenerBuilder listen(String eventPattern);

    void lifecycle(Class<? extends Lifecycle> service);

    void install(Module module);

    /**
     * Receives the binary streams of this plugin's agent side: {@code pattern} is a stream name relative to
     * the plugin ({@code "preview"}), a prefix ({@code "preview.*"}) or {@code "*"} for all of them.
     */
    AgentStreamBuilder agentStreams(String pattern);
}
