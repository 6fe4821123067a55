package org.classtop.pluginloader;

import com.google.inject.Injector;
import com.google.inject.Module;
import java.util.function.Consumer;

/**
 * What the server and the agent each add to the one {@link PluginRuntime}: how a plugin's declarations for
 * this side are recorded, which per-plugin bindings its injector gets, and how its declarations are
 * registered with the platform (and removed again). Everything else (ids, order, dependencies, services,
 * lifecycles, errors, stop order) is the runtime's and so the same on both sides.
 */
public interface PluginSide<D extends PluginDeclarations> {
    /**
     * Calls {@code configure()} on the plugin's extensions of this side and records what they declare.
     * Answers null when the plugin has nothing for this side (e.g. a server-only plugin on an agent).
     * Checks within the plugin (duplicates, bad names) throw with a sentence.
     */
    D declare(PluginUnit plugin);

    /** Work before the plugin's injector exists (the server runs the plugin's migrations here). */
    default void prepare(PluginUnit plugin, D declared) {
    }

    /**
     * Per-plugin bindings besides the declared classes, services and modules: {@code PluginContext} and
     * whatever else this side gives each plugin (a scheduler, an {@code AgentContext}, ...). A per-plugin
     * resource made here goes to {@code onStop}, closed when the plugin fails or stops.
     */
    Module bindings(PluginUnit plugin, D declared, Consumer<AutoCloseable> onStop);

    /**
     * Registers the declarations (routes, panels, listeners; commands, state sections). Every handle that
     * undoes a registration, and any per-plugin resource, goes to {@code onStop}: the runtime closes them in
     * reverse order when the plugin fails or stops. A conflict with another plugin throws with a sentence.
     */
    void register(PluginUnit plugin, D declared, Injector injector, Consumer<AutoCloseable> onStop) throws Exception;
}
