package org.classtop.agent;

import java.util.List;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's class loader that always takes the platform's packages from the application class loader,
 * even when a plugin jar bundles a copy: a second copy of, say, {@code AgentPlugin} would be another class
 * and the plugin's extension would silently vanish.
 */
final class ParentFirstPluginClassLoader extends PluginClassLoader {
    /** Package prefixes shared with every plugin. */
    static final List<String> PLATFORM_PACKAGES = List.of(
            "org.classtop.api.",
            "org.pf4j.",
            "com.google.inject.",
            "com.google.common.",
            "jakarta.inject.",
            "org.aopalliance.",
            "org.slf4j.",
            "com.fasterxml.jackson.");

    static {
        ClassLoader.registerAsParallelCapable();
    }

    ParentFirstPluginClassLoader(PluginManager pluginManager, PluginDescriptor descriptor, ClassLoader parent) {
        super(pluginManager, descriptor, parent);
    }

    static boolean isPlatformClass(String className) {
        for (String prefix : PLATFORM_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Class<?> loadClass(String className) throws ClassNotFoundException {
        if (isPlatformClass(className)) {
            return getParent().loadClass(className);
        }
        return super.loadClass(className);
    }
}
