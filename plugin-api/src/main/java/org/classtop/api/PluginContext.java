package org.classtop.api;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What a plugin knows about itself. Injected into any class of the plugin; never hard-code the id
 * or a data path.
 */
public interface PluginContext {
    /** The plugin id: PF4J id, folder, migrations folder {@code db/<id>/}, static folder {@code static/<id>/}, log prefix. */
    String pluginId();

    String version();

    /** A folder of the plugin's own inside the data directory, created on first use. */
    Path dataDir();

    /**
     * A configuration value for this plugin: the environment variable {@code <PLUGIN_ID>_<NAME>}, then
     * {@code <NAME>} (upper case, dots and dashes as underscores), then {@code <pluginId>.<name>} in the
     * server's config file (on an agent: the system property {@code <pluginId>.<name>}).
     */
    Optional<String> config(String name);
}
