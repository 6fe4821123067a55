package org.classtop.core.routes;

import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.ClientInfo;
import org.classtop.api.server.RouteHandler;
import org.classtop.core.audit.AuditTrail;
import org.classtop.core.clients.ClientDirectory;
import org.classtop.core.clients.ClientState;
import org.classtop.core.clients.EnrollmentService;
import org.classtop.core.commands.CommandBus;
import org.classtop.core.http.NonBlockingRouteHandler;
import org.classtop.core.hub.AgentSessions;
import org.classtop.core.hub.ClientAdministration;
import org.classtop.core.storage.CommandLogRepository;
import org.classtop.core.storage.ConnectionLogRepository;

/** The clients routes of SPEC section 3 (core). */
final class ClientRoutes {
    private ClientRoutes() {
    }

    static final class ListAll implements RouteHandler {
        private final ClientDirectory clients;

        @Inject
        ListAll(ClientDirectory clients) {
            this.clients = clients;
        }

        @Override
        public Object handle(ApiRequest request) {
            return clients.views(view -> true);
        }
    }

    static final class ListOnline implements RouteHandler {
        private final ClientDirectory clients;

        @Inject
        ListOnline(ClientDirectory clients) {
            this.clients = clients;
        }

        @Override
        public Object handle(ApiRequest request) {
            return clients.views(view -> Boolean.TRUE.equals(view.get("online")));
        }
    }

    static final class ListPending implements RouteHandler {
        private final ClientDirectory clients;

        @Inject
        ListPending(ClientDirectory clients) {
            this.clients = clients;
        }

        @Override
        public Object handle(ApiRequest request) {
            return clients.views(view -> EnrollmentService.PENDING.equals(view.get("enrollment")));
        }
    }

    static final class GetOne implements RouteHandler {
        private final ClientDirectory clients;

        @Inject
        GetOne(ClientDirectory clients) {
            this.clients = clients;
        }

        @Override
        public Object handle(ApiRequest request) {
            String uuid = clients.require(request.pathParam("uuid")).uuid();
            return clients.view(uuid).orElseThrow(() -> ApiException.notFound("CLIENT_NOT_FOUND", "No client with uuid '" + uuid + "' is known to this server."));
        }
    }

    static final class Forget implements RouteHandler {
        private final ClientDirectory clients;
        private final AgentSessions sessions;
        private final ClientAdministration admin;

        @Inject
        Forget(ClientDirectory clients, AgentSessions sessions, ClientAdministration admin) {
            this.clients = clients;
            this.sessions = sessions;
            this.admin = admin;
        }


        @Override
        public Object handle(ApiRequest request) {
            ClientInfo client = clients.require(request.pathParam("uuid"));
            if (sessions.get(client.uuid()) != null) {
                throw ApiException.conflict("CLIENT_ONLINE", "Client '" + client.uuid()
                        + "' is connected; reject it or stop its agent before forgetting it.");
            }
            admin.forget(client, request.caller().name());
            return Map.of("uuid", client.uuid(), "forgotten", true);
        }
    }

    record CommandBody(String command, Map<String, Object> params, Double timeout) {
    }

    /**
     * Never blocks: checks the body and hands the command to the bus, whose stage answers later, on the
     * exchange's I/O thread ({@link CommandBus#sendForHttpAnswer}: no continuation-pool thread in between).
     */
    static final class SendCommand implements NonBlockingRouteHandler {
        private final CommandBus commands;

        @Inject
        SendCommand(CommandBus commands) {
            this.commands = commands;
        }

        @Override
        public Object handle(ApiRequest request) {
            CommandBody body = request.body(CommandBody.class);
            if (body.command() == null || body.command().isBlank()) {
                throw ApiException.badRequest("Field 'command' is required: the name of the command to run.");
            }
            Duration timeout = null;
            if (body.timeout() != null) {
                if (!(body.timeout() > 0) || body.timeout() > 600) {
                    throw ApiException.badRequest("Field 'timeout' must be a number of seconds above 0 and at most 600.");
                }
                timeout = Duration.ofMillis((long) (body.timeout() * 1000));
            }
            return commands.sendForHttpAnswer(commands.request(request.pathParam("uuid"), body.command())
                    .params(body.params())
                    .timeout(timeout)
                    .requestedBy(request.caller()));
        }
    }

    /** Approve or reject: both change a client's enrolment through the hub and answer the client. */
    static class EnrollmentDecision implements RouteHandler {
        private final ClientDirectory clients;
        private final java.util.function.BiConsumer<ClientState, String> decision;

        EnrollmentDecision(ClientDirectory clients, java.util.function.BiConsumer<ClientState, String> decision) {
            this.clients = clients;
            this.decision = decision;
        }

        @Override
        public Object handle(ApiRequest request) {
            ClientState client = clients.state(clients.require(request.pathParam("uuid")).uuid());
            AuditTrail.detail("name", client.toInfo().name());
            decision.accept(client, request.caller().name());
            return client.toView();
        }
    }

    static final class Approve extends EnrollmentDecision {
        @Inject
        Approve(ClientDirectory clients, ClientAdministration admin) {
            super(clients, admin::approve);
        }
    }

    static final class Reject extends EnrollmentDecision {
        @Inject
        Reject(ClientDirectory clients, ClientAdministration admin) {
            super(clients, admin::reject);
        }
    }

    static final class Reenroll extends EnrollmentDecision {
        @Inject
        Reenroll(ClientDirectory clients, ClientAdministration admin) {
            super(clients, admin::reenroll);
        }
    }

    static final class CommandHistory implements RouteHandler {
        private final CommandLogRepository log;
        private final org.classtop.core.plugins.PluginHost plugins;

        @Inject
        CommandHistory(CommandLogRepository log, org.classtop.core.plugins.PluginHost plugins) {
            this.log = log;
            this.plugins = plugins;
        }

        @Override
        public Object handle(ApiRequest request) {
            String command = request.queryText("command").orElse(null);
            // ?reads=false leaves out commands their plugins declare as reads (unless asked for by name).
            boolean withReads = request.queryText("reads").isEmpty() || request.queryFlag("reads") || command != null;
            return log.recent(request.queryText("client").orElse(null), command, request.queryText("status").orElse(null),
                    withReads ? java.util.Set.of() : plugins.readCommands(), request.queryInt("limit", 100, 1, 1000),
                    request.queryLong("before", 0));
        }
    }

    static final class Connections implements RouteHandler {
        private final ClientDirectory clients;
        private final ConnectionLogRepository log;

        @Inject
        Connections(ClientDirectory clients, ConnectionLogRepository log) {
            this.clients = clients;
            this.log = log;
        }

        @Override
        public Object handle(ApiRequest request) {
            String uuid = clients.require(request.pathParam("uuid")).uuid();
            return log.recent(uuid, request.queryInt("limit", 100, 1, 1000));
        }
    }

}
