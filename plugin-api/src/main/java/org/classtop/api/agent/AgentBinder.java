package org.classtop.api.agent;

import com.google.inject.Module;
import org.classtop.api.Lifecycle;

/** What {@link AgentPlugin#configure()} talks to; implemented by the agent runtime (and read by the server). */
public interface AgentBinder {
    CommandBuilder command(String name);

    void state(String section, Class<? extends StateProvider> provider);

    void lifecycle(Class<? extends Lifecycle> service);

    void install(Module module);
}
