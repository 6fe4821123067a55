package org.classtop.dist;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
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
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Builds a plugin jar in a test the way a plugin author's build does: compiles Java sources with
 * {@code javax.tools} against the distribution's {@code lib/} jars (plugin-api, PF4J, Guice, ...), then writes
 * the MANIFEST, {@code META-INF/extensions.idx} and resources (migrations, panel scripts) into the jar.
 *
 * <pre>{@code
 * Path jar = PluginJars.plugin("hello", "1.0.0")
 *         .source("it.hello.Hello", "package it.hello; ... public final class Hello extends ServerPlugin { ... }")
 *         .extension("it.hello.Hello")
 *         .resource("db/hello/common/V1__notes.sql", "CREATE TABLE hello_notes (note VARCHAR(20));")
 *         .write(folder);
 * }</pre>
 */
final class PluginJars {
    private final Map<String, String> manifest = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> extensions = new ArrayList<>();
    private final Map<String, byte[]> resources = new LinkedHashMap<>();
    private final String fileName;

    private PluginJars(String id, String version) {
        manifest.put("Manifest-Version", "1.0");
        if (id != null) {
            manifest.put("Plugin-Id", id);
        }
        if (version != null) {
            manifest.put("Plugin-Version", version);
        }
        manifest.put("Plugin-Provider", "dist tests");
        fileName = (id == null ? "no-id" : id) + "-" + (version == null ? "no-version" : version) + ".jar";
    }

    /** A plugin jar with {@code Plugin-Id} and {@code Plugin-Version} (null leaves one out). */
    static PluginJars plugin(String id, String version) {
        return new PluginJars(id, version);
    }

    PluginJars manifest(String name, String value) {
        manifest.put(name, value);
        return this;
    }

    /** A Java source file, by its fully qualified class name. */
    PluginJars source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** A class listed in {@code META-INF/extensions.idx}. */
    PluginJars extension(String className) {
        extensions.add(className);
        return this;
    }

    PluginJars resource(String path, String text) {
        resources.put(path, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Compiles and writes {@code <folder>/<id>-<version>.jar}. */
    Path write(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path classes = Files.createTempDirectory(folder, "classes-");
        compile(classes);
        Manifest mf = new Manifest();
        Attributes main = mf.getMainAttributes();
        manifest.forEach(main::putValue);
        Path jar = folder.resolve(fileName);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, mf)) {
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path path : files.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
                    out.write(Files.readAllBytes(path));
                    out.closeEntry();
                }
            }
            if (!extensions.isEmpty()) {
                out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
                out.write((String.join("\n", extensions) + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            for (Map.Entry<String, byte[]> resource : resources.entrySet()) {
                out.putNextEntry(new JarEntry(resource.getKey()));
                out.write(resource.getValue());
                out.closeEntry();
            }
        }
        return jar;
    }

    byte[] bytes(Path folder) throws IOException {
        return Files.readAllBytes(write(folder));
    }

    private void compile(Path classes) throws IOException {
        if (sources.isEmpty()) {
            return;
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("No Java compiler: run the tests on a JDK.");
        }
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, code) -> units.add(new SimpleJavaFileObject(
                URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        }));
        List<String> options = List.of("-proc:none", "--release", "17", "-d", classes.toString(),
                "-classpath", libClassPath());
        StringWriter errors = new StringWriter();
        if (!compiler.getTask(errors, null, null, options, null, units).call()) {
            throw new IllegalStateException("The plugin sources do not compile:\n" + errors);
        }
    }

    private static String libClassPath() throws IOException {
        try (Stream<Path> jars = Files.list(Distribution.home().resolve("lib"))) {
            return String.join(java.io.File.pathSeparator, jars.filter(p -> p.toString().endsWith(".jar"))
                    .map(Path::toString).sorted().toList());
        }
    }
}
