package org.classtop.core.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.classtop.api.Registration;
import org.classtop.api.server.HttpMethod;

/**
 * All REST routes, core and plugins alike. Registering returns a handle that removes exactly that route.
 * Counts the requests in flight per plugin, so that a plugin being stopped can {@link #drain} them first.
 */
@jakarta.inject.Singleton
public final class RouteRegistry {
    /** How long {@link #drain} waits when the caller has no reason to choose. */
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(10);

    private final List<RouteDefinition> routes = new CopyOnWriteArrayList<>();
    /** Routes removed while their plugin is stopping: they still match (and answer 503) until it is resumed. */
    private final List<RouteDefinition> parked = new CopyOnWriteArrayList<>();
    private final Map<String, Traffic> traffic = new ConcurrentHashMap<>();
    private volatile long version;

    /** One plugin's requests in flight, and whether it is stopping. */
    private static final class Traffic {
        int inFlight;
        boolean stopping;
    }

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
        // A plugin being drained (restarted, replaced) keeps answering 503 until resume(), new routes included.
        return () -> {
            synchronized (RouteRegistry.this) {
                if (routes.remove(route)) {
                    version++;
                    if (stopping(route.owner())) {
                        parked.add(route);
                    }
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
        for (RouteDefinition route : parked) {
            Map<String, String> params = route.template().match(segments);
            if (params != null && route.method() == method) {
                return new Found(route, params);   // admit() answers 503 while its plugin is stopping
            }
        }
        return allowed.isEmpty() ? new NotFound() : new MethodNotAllowed(allowed);
    }

    /**
     * Counts one request to {@code route} as in flight; call {@link Admission#close()} once it is answered.
     *
     * @throws RetryLaterException 503 while the route's plugin is {@linkplain #drain stopping}
     */
    public Admission admit(RouteDefinition route) {
        Traffic t = traffic.computeIfAbsent(route.owner(), owner -> new Traffic());
        synchronized (t) {
            if (t.stopping) {
                throw new RetryLaterException(503, "PLUGIN_STOPPING", "Plugin '" + route.owner()
                        + "' is stopping; try again in a moment.", 2);
            }
            t.inFlight++;
        }
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                synchronized (t) {
                    t.inFlight--;
                    t.notifyAll();
                }
            }
        };
    }

    /** A request counted in flight; closing it more than once counts once. */
    public interface Admission extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Marks {@code pluginId} stopping (new requests to its routes get 503) and waits until none of its
     * requests is in flight, or {@code timeout} passed. The plugin stays marked until its routes are
     * registered again or {@link #resume} is called; once its routes are removed they answer 404.
     *
     * @return true when nothing was left in flight
     */
    public boolean drain(String pluginId, Duration timeout) {
        Traffic t = traffic.computeIfAbsent(pluginId, owner -> new Traffic());
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (t) {
            t.stopping = true;
            try {
                while (t.inFlight > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(t, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return true;
        }
    }

    /**
     * Marks every plugin of {@code pluginIds} stopping at once, then waits until none of their requests is in
     * flight, or {@code timeout} passed (one deadline for all).
     *
     * @return true when nothing was left in flight
     */
    public boolean drain(java.util.Collection<String> pluginIds, Duration timeout) {
        for (String id : pluginIds) {
            Traffic t = traffic.computeIfAbsent(id, owner -> new Traffic());
            synchronized (t) {
                t.stopping = true;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean drained = true;
        for (String id : pluginIds) {
            drained &= drain(id, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        return drained;
    }

    /**
     * Lets requests reach {@code pluginId}'s routes again (after it stopped, or when stopping it was given up);
     * routes removed meanwhile now answer 404.
     */
    public void resume(String pluginId) {
        Traffic t = traffic.get(pluginId);
        if (t != null) {
            synchronized (t) {
                t.stopping = false;
            }
        }
        parked.removeIf(route -> route.owner().equals(pluginId));
    }

    private boolean stopping(String pluginId) {
        Traffic t = traffic.get(pluginId);
        if (t == null) {
            return false;
        }
        synchronized (t) {
            return t.stopping;
        }
    }

    /** Requests to {@code pluginId}'s routes not answered yet. */
    public int inFlight(String pluginId) {
        Traffic t = traffic.get(pluginId);
        if (t == null) {
            return 0;
        }
        synchronized (t) {
            return t.inFlight;
        }
    }

    public List<RouteDefinition> all() {
        return new ArrayList<>(routes);
    }

    /** Changes whenever a route is added or removed (for caches such as the OpenAPI document). */
    public long version() {
        return version;
    }
}
