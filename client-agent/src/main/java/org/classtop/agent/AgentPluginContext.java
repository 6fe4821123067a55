package org.classtop.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.classtop.api.PluginContext;

/**
 * A plugin's view of itself on the agent: its id, version, a data folder {@code <data>/plugins/<id>}
 * created on first use, and configuration from the environment, then system properties.
 */
final class AgentPluginContext implements PluginContext {
    private final String pluginId;
    private final String version;
    private final Path dataDir;
    private final UnaryOperator<String> environment;

    AgentPluginContext(String pluginId, String version, Path agentDataDir, UnaryOperator<String> environment) {
        this.pluginId = pluginId;
        this.version = version;
        this.dataDir = agentDataDir.resolve("plugins").resolve(pluginId);
        this.environment = environment;
    }

    @Override
    public String pluginId() {
        return pluginId;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public Path dataDir() {
        try {
            return Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data folder " + dataDir + " of plugin '" + pluginId + "'", e);
        }
    }

    @Override
    public Optional<String> config(String name) {
        String variable = name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        String value = environment.apply(variable);
        if (value == null) {
            value = System.getProperty(pluginId + "." + name);
        }
        return Optional.ofNullable(value);
    }
}
