package org.classtop.agent;

import java.nio.file.Path;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginLoader;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginLoader;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;

/**
 * PF4J's manager for plugin jars (and unpacked plugin folders) whose class loaders take the platform's
 * packages from the agent ({@link ParentFirstPluginClassLoader}). A plugin that fails to resolve is
 * skipped; the others load.
 */
final class AgentPluginManager extends DefaultPluginManager {

    AgentPluginManager(Path pluginsDir) {
        super(pluginsDir);
        setResolveRecoveryStrategy(ResolveRecoveryStrategy.IGNORE_PLUGIN_AND_CONTINUE);
    }

    @Override
    protected PluginLoader createPluginLoader() {
        // Called from the super constructor: must not use fields of this class.
        return new CompoundPluginLoader()
                .add(new ParentFirstJarPluginLoader(this))
                .add(new ParentFirstFolderPluginLoader(this));
    }

    private static ClassLoader platformClassLoader() {
        return AgentPluginManager.class.getClassLoader();
    }

    /** A plugin packed as one jar. */
    private static final class ParentFirstJarPluginLoader extends JarPluginLoader {
        ParentFirstJarPluginLoader(PluginManager pluginManager) {
            super(pluginManager);
        }

        @Override
        public ClassLoader loadPlugin(Path pluginPath, PluginDescriptor descriptor) {
            PluginClassLoader loader = new ParentFirstPluginClassLoader(pluginManager, descriptor, platformClassLoader());
            loader.addFile(pluginPath.toFile());
            return loader;
        }
    }

    /** A plugin unpacked into a folder ({@code classes/} and {@code lib/}, e.g. from a zip). */
    private static final class ParentFirstFolderPluginLoader extends DefaultPluginLoader {
        ParentFirstFolderPluginLoader(PluginManager pluginManager) {
            super(pluginManager);
        }

        @Override
        protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
            return new ParentFirstPluginClassLoader(pluginManager, descriptor, platformClassLoader());
        }
    }
}
