package org.classtop.agent.jarplugin;

import org.classtop.api.agent.AgentPlugin;
import org.pf4j.Extension;

/** Packed into a plugin jar at test time by {@code PluginJarLoadingTest}. */
@Extension
public final class JarTestPlugin extends AgentPlugin {
    @Override
    protected void configure() {
        command("jar_ping").description("Says which class loader runs it").to(JarPing.class);
    }
}
