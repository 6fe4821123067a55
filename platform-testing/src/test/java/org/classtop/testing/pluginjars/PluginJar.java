package org.classtop.testing.pluginjars;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Packs compiled test classes, resources and a MANIFEST into a plugin jar, as a plugin build would. */
public final class PluginJar {
    private final Map<String, String> manifest = new LinkedHashMap<>();
    private final List<Class<?>> extensions = new ArrayList<>();
    private final List<Class<?>> classes = new ArrayList<>();
    private final Map<String, byte[]> resources = new LinkedHashMap<>();

    public PluginJar(String id, String version) {
        if (id != null) {
            manifest.put("Plugin-Id", id);
        }
        if (version != null) {
            manifest.put("Plugin-Version", version);
        }
    }

    public PluginJar manifest(String name, String value) {
        manifest.put(name, value);
        return this;
    }

    /** An extension (listed in META-INF/extensions.idx) with its nested classes. */
    public PluginJar extension(Class<?> type) {
        extensions.add(type);
        classes.add(type);
        return this;
    }

    public PluginJar resource(String path, String text) {
        resources.put(path, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public Path write(Path file) throws IOException {
        Manifest mf = new Manifest();
        Attributes main = mf.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.forEach(main::putValue);
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, mf)) {
            for (Class<?> type : classes) {
                add(jar, type);
                for (Class<?> nested : type.getDeclaredClasses()) {
                    add(jar, nested);
                }
            }
            StringBuilder index = new StringBuilder();
            extensions.forEach(e -> index.append(e.getName()).append('\n'));
            resources.put("META-INF/extensions.idx", index.toString().getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, byte[]> resource : resources.entrySet()) {
                jar.putNextEntry(new JarEntry(resource.getKey()));
                jar.write(resource.getValue());
                jar.closeEntry();
            }
        }
        return file;
    }

    public byte[] bytes(Path folder) throws IOException {
        Path file = write(folder.resolve("jar-" + System.nanoTime() + ".jar"));
        byte[] bytes = Files.readAllBytes(file);
        Files.delete(file);
        return bytes;
    }

    private static void add(JarOutputStream jar, Class<?> type) throws IOException {
        String name = type.getName().replace('.', '/') + ".class";
        jar.putNextEntry(new JarEntry(name));
        try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
            in.transferTo(jar);
        }
        jar.closeEntry();
    }
}
