package org.classtop.pluginloader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One plugin as the runtime wires it: a jar or folder found by PF4J, or objects handed over in-process
 * (tests, embedding, the platform's own routes).
 */
public abstract class PluginUnit {
    private final String id;
    private final String version;
    private final String description;
    private final String source;
    private final List<String> dependencies;

    protected PluginUnit(String id, String version, String description, String source, List<String> dependencies) {
        this.id = Objects.requireNonNull(id, "id");
        this.version = version;
        this.description = description;
        this.source = source;
        this.dependencies = List.copyOf(dependencies);
    }

    public String id() {
        return id;
    }

    public String version() {
        return version;
    }

    public String description() {
        return description;
    }

    /** The file name of the jar, or {@code in-process}. */
    public String source() {
        return source;
    }

    /** Ids of the plugins this one needs ({@code Plugin-Dependencies}); optional ones end with {@code ?}. */
    public List<String> dependencies() {
        return dependencies;
    }

    /** The plugin's jar file; empty for an in-process plugin (and an unpacked folder). */
    public Optional<Path> jar() {
        return Optional.empty();
    }

    /** Where the plugin was loaded from: its jar or unpacked folder; empty for an in-process plugin. */
    public Optional<Path> location() {
        return jar();
    }

    /** False when its MANIFEST says {@code Plugin-Unloadable: false} (native code): it is never unloaded while running. */
    public boolean unloadable() {
        return true;
    }

    /** Its MANIFEST {@code Plugin-Platforms} (e.g. {@code linux-x86_64}); empty: any platform. */
    public List<String> platforms() {
        return List.of();
    }

    /** Forgets the extension objects made so far, so the next wiring creates them again. */
    void forgetExtensions() {
    }

    /** The class loader of the plugin's classes and resources (static files, migrations). */
    public abstract ClassLoader classLoader();

    /**
     * The plugin's extensions of {@code type}, created on first call.
     *
     * @throws IllegalStateException naming the class when one cannot be loaded or created
     */
    public abstract <T> List<T> extensions(Class<T> type);

    /** Whether the plugin belongs to the platform itself and may inject core classes (the core routes only). */
    public boolean platformOwn() {
        return false;
    }

    /** A plugin made of objects already created: each extension object is offered as each type it implements. */
    public static PluginUnit inProcess(String id, String version, List<String> dependencies, Object... extensions) {
        return new InProcess(id, version, dependencies, List.of(extensions), false);
    }

    /** The platform's own routes, which see the whole core injector. */
    public static PluginUnit platform(String id, String version, Object... extensions) {
        return new InProcess(id, version, List.of(), List.of(extensions), true);
    }

    private static final class InProcess extends PluginUnit {
        private final List<Object> extensions;
        private final boolean platformOwn;

        InProcess(String id, String version, List<String> dependencies, List<Object> extensions, boolean platformOwn) {
            super(id, version, null, "in-process", dependencies);
            this.extensions = extensions;
            this.platformOwn = platformOwn;
        }

        @Override
        public ClassLoader classLoader() {
            ClassLoader loader = extensions.isEmpty() ? null : extensions.get(0).getClass().getClassLoader();
            return loader == null ? PluginUnit.class.getClassLoader() : loader;
        }

        @Override
        public <T> List<T> extensions(Class<T> type) {
            List<T> matching = new ArrayList<>();
            for (Object extension : extensions) {
                if (type.isInstance(extension)) {
                    matching.add(type.cast(extension));
                }
            }
            return matching;
        }

        @Override
        public boolean platformOwn() {
            return platformOwn;
        }
    }
}
