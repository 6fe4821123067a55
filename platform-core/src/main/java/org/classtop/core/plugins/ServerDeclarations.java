package org.classtop.core.plugins;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.classtop.api.EventListener;
import org.classtop.api.server.AgentStreamBuilder;
import org.classtop.api.server.AgentStreamReceiver;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.ListenerBuilder;
import org.classtop.api.server.RequestAuthenticator;
import org.classtop.api.server.Role;
import org.classtop.api.server.RouteBuilder;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerBinder;
import org.classtop.api.server.UiPanelBuilder;
import org.classtop.pluginloader.AgentDeclarations;
import org.classtop.pluginloader.PluginDeclarations;
import org.classtop.api.server.WebSocketBuilder;
import org.classtop.api.server.WebSocketHandler;

/**
 * Records what a {@link org.classtop.api.server.ServerPlugin} declares; nothing is created here. Lifecycles,
 * modules and exported services are kept by {@link PluginDeclarations}, which also reports a route without
 * {@code .to()} or a panel without {@code .register()}.
 */
final class ServerDeclarations extends PluginDeclarations implements ServerBinder {
    record RouteDeclaration(HttpMethod method, String path, Role required, String summary, String description,
                            String requestExample, String responseExample, Class<? extends RouteHandler> handler,
                            Class<? extends RequestAuthenticator> authenticator, String produces) {
    }

    record WebSocketDeclaration(String path, Role required, String summary, int maxConnections, long maxQueuedBytes,
                                Class<? extends WebSocketHandler> handler) {
    }

    record AgentAuthenticatorDeclaration(String clientType, Class<? extends org.classtop.api.server.AgentAuthenticator> type) {
    }

    record ListenerDeclaration(String pattern, Class<? extends EventListener> listener) {
    }

    record StreamDeclaration(String pattern, Class<? extends AgentStreamReceiver> receiver) {
    }

    record PanelDeclaration(String name, String script, String element, String slot, Map<String, String> titles,
                            List<String> whenClientHas) {
    }

    final List<RouteDeclaration> routes = new ArrayList<>();
    final List<WebSocketDeclaration> webSockets = new ArrayList<>();
    final List<ListenerDeclaration> listeners = new ArrayList<>();
    final List<AgentAuthenticatorDeclaration> agentAuthenticators = new ArrayList<>();
    final List<PanelDeclaration> panels = new ArrayList<>();
    /** The plugin's agent side, read for the plugin list (its commands); the agent wires it. */
    AgentDeclarations agent;
    /** The jar has an AgentPlugin extension: agents get it from the server. */
    boolean hasAgentSide;
    final List<StreamDeclaration> streams = new ArrayList<>();
    /** The plugin's description per language tag, besides the English one of its manifest. */
    final Map<String, String> descriptions = new java.util.LinkedHashMap<>();
    private static final java.util.regex.Pattern LANGUAGE =
            java.util.regex.Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,3}");

    /** The settings an admin may change, by name, in declaration order. */
    final Map<String, DeclaredSetting> settings = new LinkedHashMap<>();

    ServerDeclarations(String pluginId) {
        super(pluginId);
    }

    ServerDeclarations() {
        this("plugin");
    }

    /** Every class of the server's own kinds that the plugin's injector must bind explicitly. */
    @Override
    protected Set<Class<?>> sideClasses() {
        Set<Class<?>> classes = new LinkedHashSet<>();
        routes.forEach(r -> classes.add(r.handler()));
        routes.stream().filter(r -> r.authenticator() != null).forEach(r -> classes.add(r.authenticator()));
        webSockets.forEach(w -> classes.add(w.handler()));
        listeners.forEach(l -> classes.add(l.listener()));
        agentAuthenticators.forEach(a -> classes.add(a.type()));
        streams.forEach(s -> classes.add(s.receiver()));
        return classes;
    }

    @Override
    public RouteBuilder route(HttpMethod method, String pathTemplate) {
        String what = "route " + method + " " + pathTemplate + " (call .to(Handler.class))";
        started(what);
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
                java.util.Objects.requireNonNull(handler, "handler");
                if (routes.stream().anyMatch(r -> r.method() == method && r.path().equals(pathTemplate))) {
                    throw new IllegalStateException("Plugin '" + pluginId + "' declares route " + method + " "
                            + pathTemplate + " twice.");
                }
                finished(what);
                routes.add(new RouteDeclaration(method, pathTemplate, required, summary, description, requestExample,
                        responseExample, handler, authenticator, produces));
            }
        };
    }

    @Override
    public WebSocketBuilder webSocket(String pathTemplate) {
        String what = "WebSocket route " + pathTemplate + " (call .to(Handler.class))";
        started(what);
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
                java.util.Objects.requireNonNull(handler, "handler");
                if (webSockets.stream().anyMatch(w -> w.path().equals(pathTemplate))) {
                    throw new IllegalStateException("Plugin '" + pluginId + "' declares WebSocket route " + pathTemplate
                            + " twice.");
                }
                finished(what);
                webSockets.add(new WebSocketDeclaration(pathTemplate, required, summary, maxConnections, maxQueuedBytes, handler));
            }
        };
    }

    @Override
    public UiPanelBuilder uiPanel(String name) {
        String what = "panel '" + name + "' (call .register())";
        started(what);
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
                if (panels.stream().anyMatch(p -> p.name().equals(name))) {
                    throw new IllegalStateException("Plugin '" + pluginId + "' declares panel '" + name + "' twice.");
                }
                finished(what);
                panels.add(new PanelDeclaration(name, script, element, slot, Map.copyOf(titles), List.copyOf(whenClientHas)));
            }
        };
    }

    @Override
    public ListenerBuilder listen(String eventPattern) {
        String what = "a listener of '" + eventPattern + "' (call .to(Listener.class))";
        started(what);
        return listener -> {
            finished(what);
            listeners.add(new ListenerDeclaration(eventPattern, java.util.Objects.requireNonNull(listener, "listener")));
        };
    }

    @Override
    public void description(String language, String text) {
        if (language == null || !LANGUAGE.matcher(language).matches()) {
            throw new IllegalArgumentException("Plugin '" + pluginId + "' gives a description in '" + language
                    + "': use a language tag such as zh-CN.");
        }
        if (text == null || text.isBlank()) {
            descriptions.remove(language);
        } else {
            descriptions.put(language, text);
        }
    }

    @Override
    public org.classtop.api.server.AgentAuthenticatorBuilder agentAuthenticator(String clientType) {
        if (clientType == null || !clientType.matches("[a-z][a-z0-9_-]{0,63}")) {
            throw new IllegalArgumentException("Plugin '" + pluginId + "' names the agent client type '" + clientType
                    + "'; a client type is 1 to 64 lower-case letters, digits, '_' or '-', starting with a letter.");
        }
        if ("client".equals(clientType)) {
            throw new IllegalArgumentException("Plugin '" + pluginId + "' cannot authenticate the client type 'client': "
                    + "ordinary agents are enrolled by the platform.");
        }
        String what = "an agent authenticator of '" + clientType + "' (call .to(Authenticator.class))";
        started(what);
        return type -> {
            if (agentAuthenticators.stream().anyMatch(a -> a.clientType().equals(clientType))) {
                throw new IllegalStateException("Plugin '" + pluginId + "' declares an agent authenticator of '"
                        + clientType + "' twice.");
            }
            finished(what);
            agentAuthenticators.add(new AgentAuthenticatorDeclaration(clientType, java.util.Objects.requireNonNull(type, "type")));
        };
    }

    @Override
    public org.classtop.api.server.SettingBuilder setting(String name) {
        DeclaredSetting setting = new DeclaredSetting(pluginId, name);
        if (settings.containsKey(name)) {
            throw new IllegalStateException("Plugin '" + pluginId + "' declares the setting '" + name + "' twice.");
        }
        settings.put(name, setting);
        return setting;
    }

    @Override
    public void validate() {
        super.validate();
        settings.values().forEach(DeclaredSetting::validate);
    }

    @Override
    public AgentStreamBuilder agentStreams(String pattern) {
        String what = "agent streams '" + pattern + "' (call .to(Receiver.class))";
        started(what);
        return receiver -> {
            finished(what);
            streams.add(new StreamDeclaration(pattern, java.util.Objects.requireNonNull(receiver, "receiver")));
        };
    }
}
