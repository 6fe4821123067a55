package org.classtop.pluginloader;

import com.google.inject.Injector;
import java.util.ArrayList;
import java.util.List;

/** One plugin as the runtime holds it: its state, its one-sentence error, and what to undo when it stops. */
public final class PluginRecord<D extends PluginDeclarations> {
    /** Declared and registered; lifecycles not started yet. */
    public static final String WIRED = "wired";
    public static final String STARTED = "started";
    public static final String FAILED = "failed";
    /** Switched off: {@code disabled.txt}, a PF4J version rule, or stopped through {@link PluginRuntime#stop}. */
    public static final String DISABLED = "disabled";
    /**
     * Its change (an upgrade or a removal) waits for a restart: the plugin loads native code
     * ({@code Plugin-Unloadable: false}). {@link #isRunning()} tells whether the old version still runs.
     */
    public static final String RESTART_REQUIRED = "restart_required";

    final PluginUnit unit;
    final List<AutoCloseable> onStop = new ArrayList<>();
    final List<org.classtop.api.Lifecycle> lifecycles = new ArrayList<>();
    final List<org.classtop.api.Lifecycle> startedLifecycles = new ArrayList<>();
    volatile String state = "loading";
    volatile String error;
    volatile D declarations;
    volatile Injector injector;
    /** Its registrations are in place (set when wired, cleared when torn down). */
    volatile boolean live;
    /** The provider whose disabling or unloading stopped this plugin; it starts again with it. */
    volatile String stoppedBy;

    PluginRecord(PluginUnit unit) {
        this.unit = unit;
    }

    public String id() {
        return unit.id();
    }

    public String version() {
        return unit.version();
    }

    public String description() {
        return unit.description();
    }

    public String source() {
        return unit.source();
    }

    public List<String> dependencies() {
        return unit.dependencies();
    }

    public ClassLoader classLoader() {
        return unit.classLoader();
    }

    /** {@code wired}, {@code started}, {@code failed}, {@code disabled} or {@code restart_required}. */
    public String state() {
        return state;
    }

    /** Why it failed, one sentence; null otherwise. */
    public String error() {
        return error;
    }

    /** What it declared for this side; null when it failed before, or has nothing for this side. */
    public D declarations() {
        return declarations;
    }

    /** The exported service interfaces, by name. */
    public List<String> exports() {
        D declared = declarations;
        return declared == null ? List.of() : declared.exports.keySet().stream().map(Class::getName).toList();
    }

    public PluginUnit unit() {
        return unit;
    }

    public boolean isRunning() {
        return WIRED.equals(state) || STARTED.equals(state) || (RESTART_REQUIRED.equals(state) && live);
    }
}
