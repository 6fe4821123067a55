package org.classtop.pluginloader;

import java.util.List;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's class loader that always takes the platform's copy of the shared packages. A plugin jar
 * that bundles one of them anyway would otherwise give a second class identity, and its extensions
 * would silently not be found. Its parent is a {@link PlatformApiClassLoader}: besides the shared packages
 * a plugin sees the JDK, its own jar(s) and the plugins it depends on (PF4J dependency class loaders).
 */
public final class ParentFirstPluginClassLoader extends PluginClassLoader {
    /** Packages a plugin always sees from the platform. */
    public static final List<String> SHARED_PACKAGES = List.of(
            "org.classtop.api.", "org.pf4j.", "com.google.inject.", "com.google.common.", "jakarta.inject.",
            "javax.inject.", "org.aopalliance.", "org.slf4j.", "com.fasterxml.jackson.");

    public ParentFirstPluginClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent) {
        super(manager, descriptor, parent, ClassLoadingStrategy.PDA);
    }

    @Override
    public Class<?> loadClass(String className) throws ClassNotFoundException {
        if (isShared(className)) {
            return getParent().loadClass(className);
        }
        return super.loadClass(className);
    }

    public static boolean isShared(String className) {
        for (String prefix : SHARED_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
