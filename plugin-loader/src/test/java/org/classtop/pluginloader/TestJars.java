package org.classtop.pluginloader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Packs compiled test classes into a PF4J plugin jar at test time. */
final class TestJars {
    private TestJars() {
    }

    /**
     * @param extensions the classes listed in {@code META-INF/extensions.idx}
     * @param classes    every class the jar holds (nested classes are added with their outer class)
     */
    static Path write(Path folder, String id, String dependencies, List<Class<?>> extensions, List<Class<?>> classes)
            throws IOException {
        return write(folder, id, "1.0.0", dependencies, extensions, classes, java.util.Map.of());
    }

    /** @param extra further MANIFEST main attributes (e.g. Plugin-Unloadable) */
    static Path write(Path folder, String id, String version, String dependencies, List<Class<?>> extensions,
                      List<Class<?>> classes, java.util.Map<String, String> extra) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Plugin-Id", id);
        main.putValue("Plugin-Version", version);
        main.putValue("Plugin-Provider", "tests");
        if (dependencies != null) {
            main.putValue("Plugin-Dependencies", dependencies);
        }
        extra.forEach(main::putValue);
        Path jar = folder.resolve(id + "-" + version + ".jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Class<?> type : classes) {
                add(out, type);
                for (Class<?> nested : type.getDeclaredClasses()) {
                    add(out, nested);
                }
            }
            out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
            StringBuilder index = new StringBuilder();
            extensions.forEach(e -> index.append(e.getName()).append('\n'));
            out.write(index.toString().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    private static void add(JarOutputStream out, Class<?> type) throws IOException {
        String name = type.getName().replace('.', '/') + ".class";
        out.putNextEntry(new JarEntry(name));
        try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
            in.transferTo(out);
        }
        out.closeEntry();
    }
}
