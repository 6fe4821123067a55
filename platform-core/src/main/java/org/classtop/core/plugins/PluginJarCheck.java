package org.classtop.core.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ServerPlugin;
import org.classtop.pluginloader.PluginManifest;
import org.classtop.pluginloader.PluginRuntime;

/**
 * What an uploaded jar must be before anything installed changes: a jar, with a MANIFEST naming a valid
 * {@code Plugin-Id} and {@code Plugin-Version}, and a {@code META-INF/extensions.idx} listing a ServerPlugin
 * or AgentPlugin. Each refusal is a 400 with one sentence.
 */
final class PluginJarCheck {
    /** Semantic versions, as PF4J compares them: 1.2.0, 2.0.0-beta.1. */
    static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?");

    record Checked(String id, String version, String requires, List<String> dependencies, PluginManifest manifest) {
    }

    private PluginJarCheck() {
    }

    /** The most META-INF/extensions.idx may hold. */
    static final int MAX_INDEX_BYTES = 64 * 1024;

    static Checked check(Path jar, long maxBytes) {
        PluginManifest manifest;
        List<String> extensions;
        boolean hasProperties;
        try (JarFile file = new JarFile(jar.toFile())) {
            refuseBombs(file, maxBytes);
            manifest = PluginManifest.of(file.getManifest());
            hasProperties = file.getJarEntry("plugin.properties") != null;
            JarEntry index = file.getJarEntry("META-INF/extensions.idx");
            extensions = new ArrayList<>();
            if (index != null) {
                try (InputStream in = file.getInputStream(index)) {
                    byte[] bytes = in.readNBytes(MAX_INDEX_BYTES + 1);
                    if (bytes.length > MAX_INDEX_BYTES) {
                        throw new ApiException(400, "EXTENSIONS_TOO_LARGE", "The jar's META-INF/extensions.idx is larger"
                                + " than " + MAX_INDEX_BYTES / 1024 + " KiB.");
                    }
                    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\\R")) {
                        String name = line.strip();
                        if (!name.isEmpty() && !name.startsWith("#")) {
                            extensions.add(name);
                        }
                    }
                }
            }
        } catch (IOException | SecurityException e) {
            throw new ApiException(400, "NOT_A_JAR", "The upload is not a jar file.");
        }
        if (hasProperties) {
            throw new ApiException(400, "PLUGIN_PROPERTIES", "The jar contains a plugin.properties: describe the plugin in"
                    + " its MANIFEST only (Plugin-Id, Plugin-Version, ...) and leave plugin.properties out.");
        }
        String id = manifest.value("Plugin-Id");
        if (id == null) {
            throw new ApiException(400, "NOT_A_PLUGIN", "The jar is not a ClassTop plugin: its MANIFEST has no Plugin-Id.");
        }
        if (!PluginRuntime.PLUGIN_ID.matcher(id).matches()) {
            throw new ApiException(400, "INVALID_PLUGIN_ID", "The Plugin-Id '" + bounded(id) + "' breaks the id rule: "
                    + PluginRuntime.PLUGIN_ID_RULE);
        }
        String version = manifest.value("Plugin-Version");
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new ApiException(400, "INVALID_PLUGIN_VERSION", "Plugin '" + id + "' needs a Plugin-Version such as 1.2.0 in"
                    + " its MANIFEST" + (version == null ? "." : ", not '" + bounded(version) + "'."));
        }
        if (extensions.isEmpty()) {
            throw new ApiException(400, "NO_EXTENSIONS", "Plugin '" + id + "' lists no extension: its jar needs"
                    + " META-INF/extensions.idx naming its ServerPlugin or AgentPlugin class.");
        }
        if (!namesAPluginSide(jar, extensions)) {
            throw new ApiException(400, "NO_EXTENSIONS", "Plugin '" + id + "' has no ServerPlugin or AgentPlugin extension:"
                    + " META-INF/extensions.idx names none.");
        }
        return new Checked(id, version, manifest.value("Plugin-Requires"), manifest.dependencies(),
                manifest);
    }

    /**
     * A zip bomb is refused before anything reads it: no entry may declare more than {@code maxBytes}
     * uncompressed, and all of them together no more than 4 times that.
     */
    private static void refuseBombs(JarFile file, long maxBytes) {
        long total = 0;
        for (java.util.Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
            JarEntry entry = entries.nextElement();
            long size = entry.getSize();
            if (size > maxBytes) {
                throw new ApiException(400, "JAR_TOO_LARGE", "The jar's entry '" + bounded(entry.getName()) + "' unpacks to "
                        + size + " bytes, more than --plugin-max-bytes (" + maxBytes + ").");
            }
            total += Math.max(size, 0);
            if (total > 4 * maxBytes) {
                throw new ApiException(400, "JAR_TOO_LARGE", "The jar unpacks to more than 4 times --plugin-max-bytes ("
                        + 4 * maxBytes + " bytes).");
            }
        }
    }

    /**
     * Whether an indexed class extends ServerPlugin or AgentPlugin, loaded without initialising it. A class that
     * cannot even be loaded here (it needs another plugin's classes) counts: wiring names the problem.
     */
    private static boolean namesAPluginSide(Path jar, List<String> extensions) {
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, PluginJarCheck.class.getClassLoader())) {
            for (String name : extensions) {
                try {
                    Class<?> type = Class.forName(name, false, loader);
                    if (ServerPlugin.class.isAssignableFrom(type) || AgentPlugin.class.isAssignableFrom(type)) {
                        return true;
                    }
                } catch (ClassNotFoundException e) {
                    // not in the jar: the next one may be
                } catch (LinkageError e) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static String bounded(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
