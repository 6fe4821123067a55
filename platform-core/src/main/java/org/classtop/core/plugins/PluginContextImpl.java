package org.classtop.core.plugins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.classtop.api.PluginContext;

final class PluginContextImpl implements PluginContext {
    private final String id;
    private final String version;
    private final Path dataDir;
    private final Map<String, String> fileConfig;

    PluginContextImpl(String id, String version, Path dataDir, Map<String, String> fileConfig) {
        this.id = id;
        this.version = version;
        this.dataDir = dataDir;
        this.fileConfig = fileConfig;
    }

    @Override
    public String pluginId() {
        return id;
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
            throw new UncheckedIOException("Cannot create the data folder of plugin '" + id + "'", e);
        }
    }

    @Override
    public Optional<String> config(String name) {
        String envName = name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        String value = System.getenv(envName);
        if (value == null) {
            value = fileConfig.get(id + "." + name);
        }
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
