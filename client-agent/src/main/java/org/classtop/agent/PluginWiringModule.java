package org.classtop.agent;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import java.util.Set;
import org.classtop.api.PluginContext;
import org.classtop.api.agent.AgentContext;

/**
 * The bindings of one plugin's child injector: its {@link PluginContext}, its {@link AgentContext}, and
 * every declared handler, state provider and lifecycle as a singleton, bound explicitly so that no
 * just-in-time binding of a plugin class lands in the parent injector.
 */
final class PluginWiringModule extends AbstractModule {
    private final PluginContext pluginContext;
    private final AgentContext agentContext;
    private final Set<Class<?>> declaredClasses;

    PluginWiringModule(PluginContext pluginContext, AgentContext agentContext, Set<Class<?>> declaredClasses) {
        this.pluginContext = pluginContext;
        this.agentContext = agentContext;
        this.declaredClasses = Set.copyOf(declaredClasses);
    }

    @Override
    protected void configure() {
        bind(PluginContext.class).toInstance(pluginContext);
        bind(AgentContext.class).toInstance(agentContext);
        declaredClasses.forEach(type -> bind(type).in(Scopes.SINGLETON));
    }
}
