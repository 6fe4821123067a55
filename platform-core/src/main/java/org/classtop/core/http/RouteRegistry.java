package org.classtop.core.http;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.classtop.api.Registration;
import org.classtop.api.server.HttpMethod;

/** All REST routes, core and plugins alike. Registering returns a handle that removes exactly that route. */
@jakarta.inject.Singleton
public final class RouteRegistry {
    private final List<RouteDefinition> routes = new CopyOnWriteArrayList<>();
    private volatile long version;

    public sealed interface Match permits Found, NotFound, MethodNotAllowed {
    }

    public record Found(RouteDefinition route, Map<String, String> params) implements Match {
    }

    public record NotFound() implements Match {
    }

    public record MethodNotAllowed(Set<HttpMethod> allowed) implements Match {
    }

    /** @throws IllegalStateException naming the plugin that already provides the same method and path */
    public synchronized Registration register(RouteDefinition route) {
        for (RouteDefinition existing : routes) {
            if (existing.method() == route.method() && existing.template().sameShapeAs(route.template())) {
                throw new IllegalStateException("Route " + route.method() + " " + route.template()
                        + " is already provided by plugin '" + existing.owner() + "' (as " + existing.template() + ").");
            }
        }
        routes.add(route);
        version++;
        return () -> {
            synchronized (RouteRegistry.this) {
                if (routes.remove(route)) {
                    version++;
                }
            }
        };
    }

    public Match match(HttpMethod method, String path) {
        String[] segments = RouteTemplate.split(path);
        RouteDefinition best = null;
        Map<String, String> bestParams = null;
        EnumSet<HttpMethod> allowed = EnumSet.noneOf(HttpMethod.class);
        for (RouteDefinition route : routes) {
            Map<String, String> params = route.template().match(segments);
            if (params == null) {
                continue;
            }
            allowed.add(route.method());
            if (route.method() == method
                    && (best == null || route.template().specificity() > best.template().specificity())) {
                best = route;
                bestParams = params;
            }
        }
        if (best != null) {
            return new Found(best, bestParams);
        }
        return allowed.isEmpty() ? new NotFound() : new MethodNotAllowed(allowed);
    }

    public List<RouteDefinition> all() {
        return new ArrayList<>(routes);
    }

    /** Changes whenever a route is added or removed (for caches such as the OpenAPI document). */
    public long version() {
        return version;
    }
}
