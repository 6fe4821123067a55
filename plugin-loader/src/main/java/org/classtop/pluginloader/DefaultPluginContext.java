package org.classtop.pluginloader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.classtop.api.PluginContext;

/**
 * A plugin's view of itself, on the server and on the agent: its id, version, a data folder
 * {@code <data>/plugins/<id>} created on first use, and configuration from the environment variable
 * {@code <ID>_<NAME>} (e.g. {@code CLUSTER_MONITOR_POLL_INTERVAL}), then {@code <NAME>}, then
 * {@code <id>.<name>} from the program's own settings.
 */
public final class DefaultPluginContext implements PluginContext {
    private final String pluginId;
    private final String version;
    private final Path dataDir;
    private final UnaryOperator<String> environment;
    private final UnaryOperator<String> settings;

    /**
     * @param environment variable name to value (normally {@code System::getenv})
     * @param settings    {@code <id>.<name>} to value: the config file on the server, system properties on the agent
     */
    public DefaultPluginContext(String pluginId, String version, Path dataRoot, UnaryOperator<String> environment,
                                UnaryOperator<String> settings) {
        this.pluginId = pluginId;
        this.version = version;
        this.dataDir = dataRoot.resolve("plugins").resolve(pluginId);
        this.environment = environment;
        this.settings = settings;
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
        String variable = variableName(name);
        String value = environment.apply(variableName(pluginId) + "_" + variable);
        if (value == null) {
            value = environment.apply(variable);
        }
        if (value == null) {
            value = settings.apply(pluginId + "." + name);
        }
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    private static String variableName(String name) {
        return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
