package org.classtop.agent.jarplugin;

import java.util.Map;
import org.classtop.api.PluginContext;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;

public final class JarPing implements CommandHandler {
    private final PluginContext plugin;

    @jakarta.inject.Inject
    public JarPing(PluginContext plugin) {
        this.plugin = plugin;
    }

    @Override
    public Object handle(CommandRequest request) {
        return Map.of("loader", getClass().getClassLoader().getClass().getSimpleName(),
                "plugin", plugin.pluginId(), "version", plugin.version());
    }
}
