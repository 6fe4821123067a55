package org.classtop.pluginloader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The MANIFEST entries of a plugin jar (or unpacked folder) that the platform reads besides PF4J's:
 * {@code Plugin-Unloadable: false} for a plugin that loads native code (it is never unloaded while the
 * process runs), and {@code Plugin-Platforms: linux-x86_64,windows-x86_64} for an agent side built for
 * some platforms only (empty: any).
 */
public final class PluginManifest {
    public static final String UNLOADABLE = "Plugin-Unloadable";
    public static final String PLATFORMS = "Plugin-Platforms";

    private final Attributes main;

    private PluginManifest(Attributes main) {
        this.main = main;
    }

    /** The manifest of a jar or plugin folder; an empty one when there is none or it cannot be read. */
    public static PluginManifest of(Path path) {
        try {
            if (Files.isRegularFile(path)) {
                try (JarFile jar = new JarFile(path.toFile())) {
                    Manifest manifest = jar.getManifest();
                    return new PluginManifest(manifest == null ? new Attributes() : manifest.getMainAttributes());
                }
            }
            for (Path candidate : List.of(path.resolve("META-INF/MANIFEST.MF"), path.resolve("classes/META-INF/MANIFEST.MF"))) {
                if (Files.isRegularFile(candidate)) {
                    try (InputStream in = Files.newInputStream(candidate)) {
                        return new PluginManifest(new Manifest(in).getMainAttributes());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not readable: PF4J reports the jar itself.
        }
        return new PluginManifest(new Attributes());
    }

    public static PluginManifest of(Manifest manifest) {
        return new PluginManifest(manifest == null ? new Attributes() : manifest.getMainAttributes());
    }

    /** A main attribute, stripped; null when absent or blank. */
    public String value(String name) {
        String value = main.getValue(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** {@code Plugin-Dependencies}, parsed as PF4J parses it: "a, b@>=1.0, c?" → ["a", "b", "c?"] (optional ones end with ?). */
    public List<String> dependencies() {
        String value = value("Plugin-Dependencies");
        if (value == null) {
            return List.of();
        }
        return ids(Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(org.pf4j.PluginDependency::new).toList());
    }

    static List<String> ids(List<org.pf4j.PluginDependency> dependencies) {
        return dependencies.stream().map(d -> d.getPluginId() + (d.isOptional() ? "?" : "")).toList();
    }

    public boolean unloadable() {
        return !"false".equalsIgnoreCase(value(UNLOADABLE));
    }

    public List<String> platforms() {
        String value = value(PLATFORMS);
        return value == null ? List.of()
                : Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
