package org.classtop.core.plugins;

import com.google.inject.Module;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.classtop.api.EventListener;
import org.classtop.api.Lifecycle;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.ListenerBuilder;
import org.classtop.api.server.RequestAuthenticator;
import org.classtop.api.server.Role;
import org.classtop.api.server.RouteBuilder;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerBinder;
import org.classtop.api.server.UiPanelBuilder;
import org.classtop.api.server.WebSocketBuilder;
import org.classtop.api.server.WebSocketHandler;

/** Records what a {@link org.classtop.api.server.ServerPlugin} declares; nothing is created here. */
final class ServerDeclarations implements ServerBinder {
    record RouteDeclaration(HttpMethod method, String path, Role required, String summary, String description,
                            String requestExample, String responseExample, Class<? extends RouteHandler> handler,
                            Class<? extends RequestAuthenticator> authenticator, String produces) {
    }

    record WebSocketDeclaration(String path, Role required, String summary, int maxConnections, long maxQueuedBytes,
                                Class<? extends WebSocketHandler> handler) {
    }

    record ListenerDeclaration(String pattern, Class<? extends EventListener> listener) {
    }

    record PanelDeclaration(String name, String script, String element, String slot, Map<String, String> titles,
                            List<String> whenClientHas) {
    }

    final List<RouteDeclaration> routes = new ArrayList<>();
    final List<WebSocketDeclaration> webSockets = new ArrayList<>();
    final List<ListenerDeclaration> listeners = new ArrayList<>();
    final List<PanelDeclaration> panels = new ArrayList<>();
    final List<Class<? extends Lifecycle>> lifecycles = new ArrayList<>();
    final List<Module> modules = new ArrayList<>();

    /** Every class the plugin's injector must bind explicitly. */
    Set<Class<?>> declaredClasses() {
        Set<Class<?>> classes = new LinkedHashSet<>();
        routes.forEach(r -> classes.add(r.handler()));
        routes.stream().filter(r -> r.authenticator() != null).forEach(r -> classes.add(r.authenticator()));
        webSockets.forEach(w -> classes.add(w.handler()));
        listeners.forEach(l -> classes.add(l.listener()));
        classes.addAll(lifecycles);
        return classes;
    }

    @Override
    public RouteBuilder route(HttpMethod method, String pathTemplate) {
        return new RouteBuilder() {
            private Role required = method == HttpMethod.GET ? Role.VIEWER : Role.ADMIN;
            private String summary;
            private String description;
            private String requestExample;
            private String responseExample;
            private Class<? extends RequestAuthenticator> authenticator;
            private String produces;

            @Override
            public RouteBuilder produces(String mediaType) {
                produces = mediaType;
                return this;
            }

            @Override
            public RouteBuilder summary(String value) {
                summary = value;
                return this;
            }

            @Override
            public RouteBuilder description(String value) {
                description = value;
                return this;
            }

            @Override
            public RouteBuilder requires(Role role) {
                required = role;
                return this;
            }

            @Override
            public RouteBuilder requestExample(String json) {
                requestExample = json;
                return this;
            }

            @Override
            public RouteBuilder responseExample(String json) {
                responseExample = json;
                return this;
            }

            @Override
            public RouteBuilder authenticatedBy(Class<? extends RequestAuthenticator> type) {
                authenticator = type;
                return this;
            }

            @Override
            public void to(Class<? extends RouteHandler> handler) {
                routes.add(new RouteDeclaration(method, pathTemplate, required, summary, description, requestExample,
                        responseExample, handler, authenticator, produces));
            }
        };
    }

    @Override
    public WebSocketBuilder webSocket(String pathTemplate) {
        return new WebSocketBuilder() {
            private Role required = Role.VIEWER;
            private String summary;
            private int maxConnections = 1000;
            private long maxQueuedBytes = 1L << 20;

            @Override
            public WebSocketBuilder summary(String value) {
                summary = value;
                return this;
            }

            @Override
            public WebSocketBuilder requires(Role role) {
                required = role;
                return this;
            }

            @Override
            public WebSocketBuilder maxConnections(int count) {
                if (count < 1) {
                    throw new IllegalArgumentException("WebSocket " + pathTemplate + ": maxConnections must be at least 1, not " + count + ".");
                }
                maxConnections = count;
                return this;
            }

            @Override
            public WebSocketBuilder maxQueuedBytes(long bytes) {
                if (bytes < 1) {
                    throw new IllegalArgumentException("WebSocket " + pathTemplate + ": maxQueuedBytes must be positive, not " + bytes + ".");
                }
                maxQueuedBytes = bytes;
                return this;
            }

            @Override
            public void to(Class<? extends WebSocketHandler> handler) {
                webSockets.add(new WebSocketDeclaration(pathTemplate, required, summary, maxConnections, maxQueuedBytes, handler));
            }
        };
    }

    @Override
    public UiPanelBuilder uiPanel(String name) {
        return new UiPanelBuilder() {
            private String script;
            private String element;
            private String slot = "client-detail";
            private final Map<String, String> titles = new LinkedHashMap<>();
            private final List<String> whenClientHas = new ArrayList<>();

            @Override
            public UiPanelBuilder script(String resourcePath) {
                script = resourcePath;
                return this;
            }

            @Override
            public UiPanelBuilder element(String tagName) {
                if (tagName == null || !tagName.matches("[a-z][a-z0-9._]*-[a-z0-9._-]*")) {
                    throw new IllegalArgumentException("Panel '" + name + "' names the element '" + tagName
                            + "'; a custom element name is lower case and contains a hyphen, e.g. 'myplugin-panel'.");
                }
                element = tagName;
                return this;
            }

            @Override
            public UiPanelBuilder slot(String value) {
                if (!UiPanelBuilder.SLOTS.contains(value)) {
                    throw new IllegalArgumentException("Panel '" + name + "' names the slot '" + value
                            + "'; the admin UI has the slots " + UiPanelBuilder.SLOTS + ".");
                }
                slot = value;
                return this;
            }

            @Override
            public UiPanelBuilder title(String title) {
                titles.put("en", title);
                return this;
            }

            @Override
            public UiPanelBuilder title(String language, String title) {
                titles.put(language, title);
                return this;
            }

            @Override
            public UiPanelBuilder whenClientHas(String command) {
                whenClientHas.add(command);
                return this;
            }

            @Override
            public void register() {
                panels.add(new PanelDeclaration(name, script, element, slot, Map.copyOf(titles), List.copyOf(whenClientHas)));
            }
        };
    }

    @Override
    public ListenerBuilder listen(String eventPattern) {
        return listener -> listeners.add(new ListenerDeclaration(eventPattern, listener));
    }

    @Override
    public void lifecycle(Class<? extends Lifecycle> service) {
        lifecycles.add(service);
    }

    @Override
    public void install(Module module) {
        modules.add(module);
    }
}
