package org.classtop.pluginloader;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The parent of every plugin class loader: the JDK (through the platform class loader) plus the shared
 * packages of {@link ParentFirstPluginClassLoader#SHARED_PACKAGES} taken from the platform, and nothing
 * else. Core, agent, plugin-loader, storage and Undertow classes and resources are not found, as in Trino's
 * PluginClassLoader: a plugin that names one gets a ClassNotFoundException (or NoClassDefFoundError),
 * which the runtime turns into a sentence naming the class.
 */
public final class PlatformApiClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final ClassLoader platform;

    /** @param platform the class loader that holds plugin-api and the shared libraries (the application's) */
    public PlatformApiClassLoader(ClassLoader platform) {
        super("classtop-plugin-api", ClassLoader.getPlatformClassLoader());
        this.platform = platform;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (ParentFirstPluginClassLoader.isShared(name)) {
            return platform.loadClass(name);
        }
        // The JDK's own modules; anything else is not visible to plugins.
        return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
        return isSharedResource(name) ? platform.getResource(name) : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return isSharedResource(name) ? platform.getResources(name) : super.getResources(name);
    }

    /** Whether the platform class loader knows this class, though plugins may not see it. */
    public boolean platformHas(String className) {
        try {
            Class.forName(className, false, platform);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static boolean isSharedResource(String path) {
        String name = path.startsWith("/") ? path.substring(1) : path;
        int slash = name.lastIndexOf('/');
        return slash > 0 && ParentFirstPluginClassLoader.isShared(name.substring(0, slash + 1).replace('/', '.'));
    }
}
