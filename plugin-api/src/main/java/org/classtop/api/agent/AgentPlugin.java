package org.classtop.api.agent;

import com.google.inject.Module;
import org.classtop.api.Lifecycle;
import org.classtop.api.ServiceBuilder;
import org.pf4j.ExtensionPoint;

/**
 * The agent side of a plugin. Annotate the subclass with {@code @org.pf4j.Extension}.
 *
 * <pre>{@code
 * @Extension
 * public final class SettingsAgentPlugin extends AgentPlugin {
 *     protected void configure() {
 *         command("get_setting").description("One setting").paramsExample("{\"key\":\"theme\"}").to(GetSetting.class);
 *         state("settings", SettingsState.class);
 *     }
 * }
 * }</pre>
 *
 * <p>The server reads the same declarations (without running them) to list each plugin's commands.
 * Handlers are created through the plugin's Guice child injector, which offers
 * {@link org.classtop.api.PluginContext} and {@link AgentContext}.
 */
public abstract class AgentPlugin implements ExtensionPoint {
    private AgentBinder binder;

    public final synchronized void configure(AgentBinder binder) {
        this.binder = binder;
        try {
            configure();
        } finally {
            this.binder = null;
        }
    }

    protected abstract void configure();

    protected final CommandBuilder command(String name) {
        return binder().command(name);
    }

    protected final void state(String section, Class<? extends StateProvider> provider) {
        binder().state(section, provider);
    }

    /** Supplies the section {@code name} of the dual-mode sync to the management server ({@link SyncProvider}). */
    protected final void sync(String name, Class<? extends SyncProvider> provider) {
        binder().sync(name, provider);
    }

    protected final void lifecycle(Class<? extends Lifecycle> service) {
        binder().lifecycle(service);
    }

    protected final void install(Module module) {
        binder().install(module);
    }

    /**
     * Offers {@code service}, an interface of this plugin's jar, to the plugins that list this one in
     * {@code Plugin-Dependencies}: {@code export(FrameSource.class).to(DefaultFrameSource.class);}. They
     * {@code @Inject FrameSource} and all get the same instance.
     */
    protected final <T> ServiceBuilder<T> export(Class<T> service) {
        return binder().export(service);
    }

    private AgentBinder binder() {
        if (binder == null) {
            throw new IllegalStateException("declarations are only possible inside configure()");
        }
        return binder;
    }
}
