package org.classtop.api.server;

import com.google.inject.Module;
import org.classtop.api.Lifecycle;

/** What {@link ServerPlugin#configure()} talks to; implemented by the platform. */
public interface ServerBinder {
    RouteBuilder route(HttpMethod method, String pathTemplate);

    WebSocketBuilder webSocket(String pathTemplate);

    UiPanelBuilder uiPanel(String name);

    ListenerBuilder listen(String eventPattern);

    void lifecycle(Class<? extends Lifecycle> service);

    void install(Module module);
}
