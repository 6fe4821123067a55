package org.classtop.core.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.Caller;
import org.classtop.api.server.FileResponse;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.StreamResponse;
import org.classtop.core.audit.AuditLog;
import org.classtop.core.audit.AuditTrail;
import org.classtop.core.auth.Authenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves every {@code /api/...} route: leaves the I/O thread (unless the route is a
 * {@link NonBlockingRouteHandler} and nothing on its way blocks), authenticates, matches the route,
 * checks the role, runs the handler and renders the envelope. A handler returning a
 * {@link CompletionStage} is answered when the stage completes, without holding a worker thread. Every
 * state-changing request to a route goes to the {@link AuditLog} with its outcome.
 */
@Singleton
public final class ApiHttpHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHttpHandler.class);
    /** How the audit log names a caller let in by a route's own authenticator. */
    static final String BY_ROUTE_AUTHENTICATOR = "route_authenticator";
    private static final io.undertow.util.AttachmentKey<String> OWN_AUTHENTICATOR =
            io.undertow.util.AttachmentKey.create(String.class);

    /** The owner of the platform's own routes, whose failures stay INTERNAL_ERROR. */
    private static final String CORE = "core";

    private final RouteRegistry routes;
    private final Authenticator authenticator;
    private final AuditLog audit;
    private final OpenConnections connections;

    @Inject
    public ApiHttpHandler(RouteRegistry routes, Authenticator authenticator, AuditLog audit, OpenConnections connections) {
        this.routes = routes;
        this.authenticator = authenticator;
        this.audit = audit;
        this.connections = connections;
    }

    /**
     * The path as sent, still percent-encoded: routes split it into segments first and decode each once,
     * so a parameter may hold '/', '%' or '?' (e.g. the setting key "100%" arrives as {@code 100%25}).
     */
    static String rawPath(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        if (!uri.startsWith("/")) { // absolute-form request target: http://host/path
            int slash = uri.indexOf('/', uri.indexOf("//") + 2);
            uri = slash < 0 ? "/" : uri.substring(slash);
        }
        return uri;
    }

    /**
     * The route the I/O thread matched, with the registry's version then: a worker serving the request later uses
     * it unless a plugin change came in between (then it matches again).
     */
    private record Matched(RouteRegistry.Found found, long routesVersion) {
    }

    private static final io.undertow.util.AttachmentKey<Matched> MATCHED = io.undertow.util.AttachmentKey.create(Matched.class);

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!exchange.isInIoThread()) {
            serve(exchange, exchange.removeAttachment(MATCHED));
        } else if (!servedOnIoThread(exchange)) {
            exchange.dispatch(this);
        }
    }

    /**
     * A {@link NonBlockingRouteHandler} route is served on the I/O thread when nothing on its way blocks: the
     * caller is recognised from memory and the body has a known length within the limit (read here without
     * blocking). False: the request goes to a worker, untouched.
     */
    private boolean servedOnIoThread(HttpServerExchange exchange) {
        HttpMethod method;
        try {
            method = parseMethod(exchange.getRequestMethod().toString());
        } catch (ApiException e) {
            return false;
        }
        long routesVersion = routes.version();
        if (!(routes.match(method, rawPath(exchange)) instanceof RouteRegistry.Found found)) {
            return false;
        }
        Matched matched = new Matched(found, routesVersion);
        if (!(found.route().handler() instanceof NonBlockingRouteHandler)
                || found.route().authenticator() != null || !authenticator.decidesInMemory(exchange)) {
            exchange.putAttachment(MATCHED, matched);
            return false;
        }
        long length = exchange.getRequestContentLength();
        if (length < 0 || length > ExchangeApiRequest.MAX_BODY_BYTES) {
            exchange.putAttachment(MATCHED, matched);
            return false; // chunked, or refused with 413 on the worker
        }
        if (length == 0) {
            ExchangeApiRequest.keepBody(exchange, new byte[0]);
            serve(exchange, matched);
            return true;
        }
        // Served here when the body was in already; a body still on its way is served on a worker once read
        // (answering from the read listener's callback on the I/O thread left some requests seconds late).
        boolean[] inThisCall = {true};
        exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
            ExchangeApiRequest.keepBody(ex, body);
            if (inThisCall[0]) {
                serve(ex, matched);
            } else {
                ex.dispatch(() -> serve(ex, matched));
            }
        }, (ex, error) -> fail(ex, new ApiException(400, "INVALID_REQUEST", "The request body could not be read to its end.")));
        inThisCall[0] = false;
        return true;
    }

    /** Serves the request; {@code matched} is its route when the I/O thread matched it, else null. */
    private void serve(HttpServerExchange exchange, Matched matched) {
        try {
            HttpMethod method = parseMethod(exchange.getRequestMethod().toString());
            RouteRegistry.Match match = matched != null && matched.routesVersion() == routes.version()
                    ? matched.found() : routes.match(method, rawPath(exchange));
            if (!(match instanceof RouteRegistry.Found found)) {
                authenticator.authenticate(exchange, method);
                throw notRouted(match, exchange);
            }
            RouteDefinition route = found.route();
            AuditTrail trail = audit.begin(exchange, method, route, found.params());
            Caller caller = route.required() == null ? null : authenticate(exchange, method, route, found.params());
            if (trail != null) {
                String how = exchange.getAttachment(OWN_AUTHENTICATOR);
                trail.signedIn(caller, how != null ? how : Authenticator.how(exchange));
            }
            if (caller != null && !caller.role().allows(route.required())) {
                throw ApiException.forbidden("Your role (" + caller.role().name().toLowerCase(Locale.ROOT)
                        + ") may not do this; it needs the " + route.required().name().toLowerCase(Locale.ROOT) + " role.");
            }
            if (route.handler() instanceof WebSocketEndpoint socket && WebSocketEndpoint.isUpgrade(exchange)) {
                socket.upgrade(exchange, caller, found.params());
                return;
            }
            // In flight until the exchange ends (a stream: until its handler returned), so a plugin being
            // stopped lets it finish first (RouteRegistry.drain).
            RouteRegistry.Admission admission = routes.admit(route);
            exchange.addExchangeCompleteListener((ended, next) -> {
                admission.close();
                next.proceed();
            });
            Object result;
            AuditTrail.set(trail);
            try {
                result = route.handler().handle(new ExchangeApiRequest(exchange, method, found.params(), caller));
            } catch (Throwable t) {
                fail(exchange, route, t);
                return;
            } finally {
                AuditTrail.clear();
            }
            if (result instanceof StreamResponse) {
                admission.close();
            }
            if (result instanceof CompletionStage<?> stage) {
                exchange.dispatch(SameThreadExecutor.INSTANCE, () -> stage.whenComplete((value, error) -> {
                    if (value instanceof StreamResponse || value instanceof FileResponse) {
                        answer(exchange, route, value); // may read files: not on an I/O thread
                    } else {
                        // A JSON answer or an error: written on the exchange's I/O thread, so that whichever
                        // thread completed the stage neither writes to the socket nor has to wake the I/O
                        // thread to read the connection's next request (one thread switch fewer).
                        onIoThread(exchange, () -> {
                            if (error != null) {
                                fail(exchange, route, error);
                            } else {
                                answer(exchange, route, value);
                            }
                        });
                    }
                }));
            } else if (result instanceof StreamResponse || result instanceof FileResponse) {
                // answered after this call returns, so that Undertow does not end the exchange first
                exchange.dispatch(SameThreadExecutor.INSTANCE, () -> answer(exchange, route, result));
            } else {
                ResponseWriter.success(exchange, result);
            }
        } catch (Throwable t) {
            fail(exchange, t);
        }
    }

    private static void onIoThread(HttpServerExchange exchange, Runnable task) {
        if (exchange.isInIoThread()) {
            task.run();
        } else {
            try {
                exchange.getIoThread().execute(task);
            } catch (RejectedExecutionException stopping) {
                task.run(); // the server is stopping: answer from here
            }
        }
    }

    /** Where the exchange stays open after the handler returned: streams and files are sent from here. */
    private void answer(HttpServerExchange exchange, RouteDefinition route, Object value) {
        try {
            if (value instanceof StreamResponse stream && exchange.getRequestMethod().equals(io.undertow.util.Methods.HEAD)) {
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, stream.contentType());
                exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
                exchange.endExchange(); // the head of a stream, without opening it
            } else if (value instanceof StreamResponse stream) {
                HttpStream.open(exchange, stream, route.owner(), connections);
            } else if (value instanceof FileResponse file) {
                FileResponder.send(exchange, file, route.owner());
            } else {
                ResponseWriter.success(exchange, value);
            }
        } catch (RuntimeException e) {
            fail(exchange, route, e);
        }
    }

    /**
     * The normal login; on a route with its own authenticator, that one first. A caller recognised by
     * neither gets one 401 sentence that names both ways in.
     */
    private Caller authenticate(HttpServerExchange exchange, HttpMethod method, RouteDefinition route,
                                Map<String, String> params) {
        if (route.authenticator() == null) {
            return authenticator.authenticate(exchange, method);
        }
        Optional<Caller> own = route.authenticator().authenticate(new ExchangeApiRequest(exchange, method, params, null));
        if (own != null && own.isPresent()) {
            exchange.putAttachment(OWN_AUTHENTICATOR, BY_ROUTE_AUTHENTICATOR);
            return own.get();
        }
        try {
            return authenticator.authenticate(exchange, method);
        } catch (ApiException e) {
            if (e.status() != 401) {
                throw e;
            }
            throw new ApiException(401, "UNAUTHORIZED", "This route needs its own credential (see its documentation), "
                    + "a signed-in user or a bearer token.");
        }
    }

    /**
     * A handler's failure: an {@link ApiException} is its answer; anything else from a plugin's handler is
     * 500 {@code PLUGIN_FAILED} naming the plugin, with the stack trace logged once under the plugin's id.
     */
    private void fail(HttpServerExchange exchange, RouteDefinition route, Throwable error) {
        if (CORE.equals(route.owner()) || ApiErrors.known(error) != null) {
            fail(exchange, error);
            return;
        }
        LOG.error("[{}] {} {} failed", route.owner(), exchange.getRequestMethod(), exchange.getRequestPath(),
                ApiErrors.unwrap(error));
        ResponseWriter.error(exchange, new ApiException(500, "PLUGIN_FAILED", "Plugin '" + route.owner()
                + "' failed to answer " + route.method() + " " + route.template() + "."));
    }

    private void fail(HttpServerExchange exchange, Throwable error) {
        ApiException api = ApiErrors.known(error);
        if (api == null) {
            LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestPath(), ApiErrors.unwrap(error));
            api = ApiErrors.internal();
        }
        ResponseWriter.error(exchange, api);
    }

    private static HttpMethod parseMethod(String method) {
        if (method.equals("HEAD")) {
            return HttpMethod.GET; // Undertow sends a HEAD answer's headers without its body
        }
        try {
            return HttpMethod.valueOf(method);
        } catch (IllegalArgumentException e) {
            throw new ApiException(405, "METHOD_NOT_ALLOWED", "The HTTP method " + method + " is not supported by this API.");
        }
    }

    private static ApiException notRouted(RouteRegistry.Match match, HttpServerExchange exchange) {
        if (match instanceof RouteRegistry.MethodNotAllowed notAllowed) {
            String allowed = notAllowed.allowed().stream().map(Enum::name).sorted().collect(Collectors.joining(", "));
            exchange.getResponseHeaders().put(Headers.ALLOW, allowed);
            return new ApiException(405, "METHOD_NOT_ALLOWED", exchange.getRequestPath() + " does not accept "
                    + exchange.getRequestMethod() + "; it accepts " + allowed + ".");
        }
        return ApiException.notFound("NOT_FOUND", "No API route matches " + exchange.getRequestMethod() + " "
                + exchange.getRequestPath() + ".");
    }
}
