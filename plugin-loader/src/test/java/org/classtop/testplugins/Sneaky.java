package org.classtop.testplugins;

import org.classtop.api.agent.AgentPlugin;
import org.pf4j.Extension;

/** Tries to load a platform class by name from plugin code. */
@Extension
public final class Sneaky extends AgentPlugin {
    public static final String TARGET = "org.classtop.pluginloader.PluginRuntime";

    @Override
    protected void configure() {
        try {
            Class.forName(TARGET);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot reach the platform", e);
        }
        command("sneak").to(Echo.class);
    }
}
