package org.classtop.pluginloader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.pf4j.BasePluginLoader;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginManager;
import org.pf4j.DefaultPluginClasspath;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;
import org.pf4j.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PF4J's default manager (plugin jars, zips and folders; {@code enabled.txt} / {@code disabled.txt}
 * in the plugin folder), with {@link ParentFirstPluginClassLoader}s and a stop that works around
 * pf4j#656. A plugin that cannot be loaded is logged by file name and skipped; the rest load.
 */
public class ClassTopPluginManager extends DefaultPluginManager {
    private static final Logger LOG = LoggerFactory.getLogger(ClassTopPluginManager.class);
    /** What every plugin sees of the platform. */
    static final PlatformApiClassLoader API_LOADER = new PlatformApiClassLoader(ClassTopPluginManager.class.getClassLoader());

    /** Plugins PF4J dropped while resolving (a dependency is missing), by id: the runtime reports them failed. */
    private final java.util.Map<String, PluginWrapper> unresolved = new java.util.LinkedHashMap<>();

    public ClassTopPluginManager(Path pluginsRoot, String systemVersion) {
        super(pluginsRoot);
        setSystemVersion(systemVersion);
        setExactVersionAllowed(true);
        // A plugin whose dependencies do not resolve is skipped; the others still load.
        setResolveRecoveryStrategy(ResolveRecoveryStrategy.IGNORE_PLUGIN_AND_CONTINUE);
    }

    /**
     * A jar is described by its MANIFEST only (what an upload is checked against is what loads: PF4J's default
     * would read a plugin.properties first); an unpacked folder keeps PF4J's default (plugin.properties, then
     * MANIFEST).
     */
    @Override
    protected org.pf4j.PluginDescriptorFinder createPluginDescriptorFinder() {
        org.pf4j.PluginDescriptorFinder manifest = new org.pf4j.ManifestPluginDescriptorFinder();
        org.pf4j.PluginDescriptorFinder folder = super.createPluginDescriptorFinder();
        return new org.pf4j.PluginDescriptorFinder() {
            @Override
            public boolean isApplicable(Path pluginPath) {
                return FileUtils.isJarFile(pluginPath) ? manifest.isApplicable(pluginPath) : folder.isApplicable(pluginPath);
            }

            @Override
            public PluginDescriptor find(Path pluginPath) {
                return FileUtils.isJarFile(pluginPath) ? manifest.find(pluginPath) : folder.find(pluginPath);
            }
        };
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new CompoundPluginLoader()
                .add(new JarLoader(this))
                .add(new FolderLoader(this));
    }

    @Override
    protected void resolvePlugins() {
        java.util.Map<String, PluginWrapper> before = new java.util.LinkedHashMap<>();
        getPlugins().forEach(plugin -> before.put(plugin.getPluginId(), plugin));
        super.resolvePlugins();
        before.keySet().removeAll(plugins.keySet());
        unresolved.putAll(before);
    }

    /** What {@link #loadPaths} loaded (by path) and what PF4J refused (by path, with its reason). */
    public record Loaded(java.util.Map<Path, PluginWrapper> wrappers, java.util.Map<Path, RuntimeException> refused) {
    }

    /**
     * Loads jars or folders (each gets its own class loader), then resolves dependencies once, so the jars
     * may depend on each other in any order. A path PF4J refuses is answered in {@link Loaded#refused()}.
     */
    public Loaded loadPaths(List<Path> paths) {
        java.util.Map<Path, PluginWrapper> wrappers = new java.util.LinkedHashMap<>();
        java.util.Map<Path, RuntimeException> refused = new java.util.LinkedHashMap<>();
        for (Path path : paths) {
            try {
                PluginWrapper wrapper = loadPluginFromPath(path);
                unresolved.remove(wrapper.getPluginId());
                wrappers.put(path, wrapper);
            } catch (RuntimeException e) {
                refused.put(path, e);
            }
        }
        try {
            resolvePlugins();
        } catch (RuntimeException e) {
            LOG.error("Resolving plugin dependencies failed: {}", e.toString());
        }
        return new Loaded(wrappers, refused);
    }

    /** Whether {@code requires} (a {@code Plugin-Requires} expression; blank: any) accepts {@code systemVersion}. */
    public static boolean requiresMet(String systemVersion, String requires) {
        if (requires == null || requires.isBlank() || requires.strip().equals("*") || "0.0.0".equals(systemVersion)) {
            return true;
        }
        try {
            return new org.pf4j.DefaultVersionManager().checkVersionConstraint(systemVersion, requires.strip());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether disabled.txt / enabled.txt in the plugin folder switch {@code id} off. */
    public boolean disabledByFile(String id) {
        return isPluginDisabled(id);
    }

    /** disabled.txt and enabled.txt are read, never written: the platform keeps its own state. */
    @Override
    protected org.pf4j.PluginStatusProvider createPluginStatusProvider() {
        org.pf4j.PluginStatusProvider files = super.createPluginStatusProvider();
        java.util.Set<String> enabledHere = java.util.concurrent.ConcurrentHashMap.newKeySet();
        return new org.pf4j.PluginStatusProvider() {
            @Override
            public boolean isPluginDisabled(String pluginId) {
                return !enabledHere.contains(pluginId) && files.isPluginDisabled(pluginId);
            }

            @Override
            public void disablePlugin(String pluginId) {
                enabledHere.remove(pluginId);
            }

            @Override
            public void enablePlugin(String pluginId) {
                enabledHere.add(pluginId);
            }
        };
    }

    /** Whether PF4J dropped this very wrapper while resolving (a dependency is missing or of a wrong version). */
    public boolean dropped(PluginWrapper wrapper) {
        return unresolved.get(wrapper.getPluginId()) == wrapper;
    }

    /** Plugins that were loaded but dropped by PF4J because a dependency did not resolve. */
    public java.util.Collection<PluginWrapper> unresolvedPlugins() {
        return java.util.List.copyOf(unresolved.values());
    }

    /** Stops the started plugins one by one in reverse order, then unloads them all. */
    public void stopAndUnload() {
        List<PluginWrapper> started = new ArrayList<>(getStartedPlugins());
        Collections.reverse(started);
        for (PluginWrapper plugin : started) {
            try {
                stopPlugin(plugin.getPluginId());
            } catch (RuntimeException e) {
                LOG.warn("Plugin '{}' failed to stop: {}", plugin.getPluginId(), e.toString());
            }
        }
        try {
            unloadPlugins();
        } catch (RuntimeException e) {
            LOG.warn("Unloading plugins failed: {}", e.toString());
        }
    }

    private static final class JarLoader implements PluginLoader {
        private final PluginManager manager;

        JarLoader(PluginManager manager) {
            this.manager = manager;
        }

        @Override
        public boolean isApplicable(Path pluginPath) {
            return Files.exists(pluginPath) && FileUtils.isJarFile(pluginPath);
        }

        @Override
        public ClassLoader loadPlugin(Path pluginPath, PluginDescriptor descriptor) {
            PluginClassLoader loader = new ParentFirstPluginClassLoader(manager, descriptor, API_LOADER);
            loader.addFile(pluginPath.toFile());
            return loader;
        }
    }

    /** An unpacked plugin: {@code classes/} and {@code lib/*.jar}. */
    private static final class FolderLoader extends BasePluginLoader {
        FolderLoader(PluginManager manager) {
            super(manager, new DefaultPluginClasspath());
        }

        @Override
        public boolean isApplicable(Path pluginPath) {
            return super.isApplicable(pluginPath) && Files.isDirectory(pluginPath);
        }

        @Override
        protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
            return new ParentFirstPluginClassLoader(pluginManager, descriptor, API_LOADER);
        }
    }
}
