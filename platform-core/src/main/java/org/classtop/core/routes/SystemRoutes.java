package org.classtop.core.routes;

import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.Role;
import org.classtop.api.server.Caller;
import org.classtop.api.server.RouteHandler;
import org.classtop.core.Main;
import org.classtop.core.clients.ClientDirectory;
import org.classtop.core.commands.CommandBus;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.hub.AgentHub;
import org.classtop.core.plugins.PanelRegistry;
import org.classtop.core.plugins.PluginHost;
import org.classtop.core.storage.CommandLogRepository;
import org.classtop.core.storage.EventLogRepository;
import org.classtop.core.storage.PlatformDatabase;
import org.classtop.core.tls.ServerTls;

/** Status, plugins, panels and events. */
final class SystemRoutes {
    private SystemRoutes() {
    }

    static final class Status implements RouteHandler {
        private final ServerConfig config;
        private final ClientDirectory clients;
        private final AgentHub hub;
        private final CommandBus bus;
        private final CommandLogRepository commandLog;
        private final PlatformDatabase database;
        private final ServerTls tls;

        @Inject
        Status(ServerConfig config, ClientDirectory clients, AgentHub hub, CommandBus bus, CommandLogRepository commandLog,
               PlatformDatabase database, ServerTls tls) {
            this.config = config;
            this.clients = clients;
            this.hub = hub;
            this.bus = bus;
            this.commandLog = commandLog;
            this.database = database;
            this.tls = tls;
        }

        @Override
        public Object handle(ApiRequest request) {
            Runtime runtime = Runtime.getRuntime();
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("version", Main.VERSION);
            status.put("role", config.role().name().toLowerCase());
            status.put("enrollment", config.enrollment().name().toLowerCase());
            status.put("database", database.dialect().name().toLowerCase());
            status.put("tls", tls.status());
            status.put("uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
            status.put("clients_total", clients.list().size());
            status.putAll(hub.stats());
            status.putAll(bus.stats());
            status.put("commands_logged", commandLog.count());
            status.put("db_committed_transactions", database.committedTransactions());
            status.put("db_committed_writes", database.committedWrites());
            status.put("db_pending_writes", database.pendingWrites());
            status.put("heap_used_bytes", runtime.totalMemory() - runtime.freeMemory());
            status.put("heap_max_bytes", runtime.maxMemory());
            status.put("plugin_max_bytes", config.pluginMaxBytes()); // the Plugins page refuses a larger jar before sending it
            return status;
        }
    }

    static final class Plugins implements RouteHandler {
        private final PluginHost host;

        @Inject
        Plugins(PluginHost host) {
            this.host = host;
        }

        @Override
        public Object handle(ApiRequest request) {
            java.util.List<java.util.Map<String, Object>> plugins = host.describe();
            Caller caller = request.caller();
            if (caller == null || !caller.role().allows(Role.ADMIN)) {
                plugins.forEach(plugin -> plugin.put("settings", withoutValues(plugin.get("settings"))));
            }
            return plugins;
        }

        /** A viewer sees what a plugin's settings are, never their values (they may be secrets). */
        private static Object withoutValues(Object settings) {
            if (!(settings instanceof java.util.List<?> list)) {
                return settings;
            }
            return list.stream().map(setting -> {
                java.util.Map<Object, Object> copy = new java.util.LinkedHashMap<>((java.util.Map<?, ?>) setting);
                copy.remove("value");
                return copy;
            }).toList();
        }
    }

    static final class Panels implements RouteHandler {
        private final PanelRegistry panels;

        @Inject
        Panels(PanelRegistry panels) {
            this.panels = panels;
        }

        @Override
        public Object handle(ApiRequest request) {
            return panels.all();
        }
    }

    static final class Events implements RouteHandler {
        private final EventLogRepository events;

        @Inject
        Events(EventLogRepository events) {
            this.events = events;
        }

        @Override
        public Object handle(ApiRequest request) {
            return events.recent(request.queryText("client").orElse(null), request.queryText("prefix").orElse(null),
                    request.queryInt("limit", 100, 1, 1000));
        }
    }
}
