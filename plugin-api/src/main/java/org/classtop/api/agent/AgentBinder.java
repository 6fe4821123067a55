package org.classtop.api.agent;

import com.google.inject.Module;
import org.classtop.api.Lifecycle;
import org.classtop.api.ServiceBuilder;

/** What {@link AgentPlugin#configure()} talks to; implemented by the agent runtime (and read by the server). */
public interface AgentBinder {
    CommandBuilder command(String name);

    void state(String section, Class<? extends StateProvider> provider);

    /**
     * A section of the dual-mode sync to the management server ({@link SyncProvider}), e.g. {@code courses}.
     */
    void sync(String name, Class<? extends SyncProvider> provider);

    void lifecycle(Class<? extends Lifecycle> service);

    void install(Module module);

    /**
     * Offers {@code service} (an interface in this plugin's jar) to the plugins that depend on this one
     * ({@code Plugin-Dependencies}); they simply {@code @Inject} it. One instance, shared by all of them.
     */
    <T> ServiceBuilder<T> export(Class<T> service);
}
