package org.classtop.pluginloader;

import com.google.inject.Module;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.classtop.api.Lifecycle;
import org.classtop.api.ServiceBuilder;

/**
 * What a plugin's {@code configure()} declared that both sides share: lifecycles, Guice modules and exported
 * services; the server and the agent add their own kinds (routes, panels; commands, state sections). A
 * builder left unfinished ({@code route(..)} without {@code .to()}, a panel without {@code .register()})
 * is recorded with {@link #started} and reported by {@link #validate()}, so no declaration is dropped silently.
 */
public abstract class PluginDeclarations {
    public final List<Class<? extends Lifecycle>> lifecycles = new ArrayList<>();
    public final List<Module> modules = new ArrayList<>();
    /** Exported service interface to its implementation, in declaration order. */
    public final Map<Class<?>, Class<?>> exports = new LinkedHashMap<>();
    private final List<String> unfinished = new ArrayList<>();
    protected final String pluginId;

    protected PluginDeclarations(String pluginId) {
        this.pluginId = pluginId;
    }

    public String pluginId() {
        return pluginId;
    }

    /** The classes of this side's own kinds (handlers, listeners, providers) that the runtime instantiates. */
    protected abstract Set<Class<?>> sideClasses();

    /** Every class the plugin's injector binds explicitly as a singleton, each once. */
    public final Set<Class<?>> declaredClasses() {
        Set<Class<?>> classes = new LinkedHashSet<>(sideClasses());
        classes.addAll(lifecycles);
        classes.addAll(exports.values());
        return classes;
    }

    /** Marks a builder as begun; {@link #finished} marks it done. {@code what} reads like "route GET /x (call .to(Handler.class))". */
    protected final void started(String what) {
        unfinished.add(what);
    }

    protected final void finished(String what) {
        unfinished.remove(what);
    }

    /** @throws IllegalStateException naming the first declaration left unfinished */
    public void validate() {
        if (!unfinished.isEmpty()) {
            throw new IllegalStateException("Plugin '" + pluginId + "' declares " + unfinished.get(0) + " but never finishes it.");
        }
    }

    public final void lifecycle(Class<? extends Lifecycle> service) {
        Objects.requireNonNull(service, "service");
        if (!lifecycles.contains(service)) {
            lifecycles.add(service);
        }
    }

    public final void install(Module module) {
        modules.add(Objects.requireNonNull(module, "module"));
    }

    public final <T> ServiceBuilder<T> export(Class<T> service) {
        Objects.requireNonNull(service, "service");
        if (!service.isInterface()) {
            throw new IllegalArgumentException("Plugin '" + pluginId + "' exports " + service.getName()
                    + ", which is not an interface: export an interface and name its implementation with .to().");
        }
        if (exports.containsKey(service)) {
            throw new IllegalStateException("Plugin '" + pluginId + "' exports the service " + service.getName() + " twice.");
        }
        String what = "the service " + service.getName() + " (call .to(Implementation.class))";
        started(what);
        return implementation -> {
            Objects.requireNonNull(implementation, "implementation");
            if (!service.isAssignableFrom(implementation) || implementation.isInterface()) {
                throw new IllegalArgumentException("Plugin '" + pluginId + "' exports " + service.getName()
                        + " as " + implementation.getName() + ", which is not a class implementing it.");
            }
            exports.put(service, implementation);
            finished(what);
        };
    }
}
