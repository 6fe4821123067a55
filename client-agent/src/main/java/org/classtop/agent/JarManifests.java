package org.classtop.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** Reads a plugin jar's (or plugin folder's) {@code Plugin-Id} and {@code Plugin-Dependencies}, and orders jars by them. */
final class JarManifests {
    record Plugin(String id, List<String> dependencies) {
    }

    private JarManifests() {
    }

    /** The plugin a jar declares, or null when it has no readable {@code Plugin-Id}. */
    static Plugin read(Path jarOrFolder) {
        try {
            Manifest manifest;
            if (Files.isDirectory(jarOrFolder)) {
                Path file = jarOrFolder.resolve("META-INF/MANIFEST.MF");
                if (!Files.isRegularFile(file)) {
                    return null;
                }
                try (InputStream in = Files.newInputStream(file)) {
                    manifest = new Manifest(in);
                }
            } else {
                try (JarFile jar = new JarFile(jarOrFolder.toFile())) {
                    manifest = jar.getManifest();
                }
            }
            if (manifest == null) {
                return null;
            }
            String id = manifest.getMainAttributes().getValue("Plugin-Id");
            if (id == null || id.isBlank()) {
                return null;
            }
            List<String> dependencies = new ArrayList<>();
            String declared = manifest.getMainAttributes().getValue("Plugin-Dependencies");
            if (declared != null) {
                for (String part : declared.split(",")) {
                    String dependency = part.strip();
                    int at = dependency.indexOf('@');
                    dependency = (at < 0 ? dependency : dependency.substring(0, at)).strip();
                    if (dependency.endsWith("?")) {
                        dependency = dependency.substring(0, dependency.length() - 1);
                    }
                    if (!dependency.isEmpty()) {
                        dependencies.add(dependency);
                    }
                }
            }
            return new Plugin(id.strip(), dependencies);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The jars ordered so each comes after the jars it depends on; otherwise by id. */
    static List<Path> dependencyOrder(Map<String, Path> byId) {
        Map<String, List<String>> dependencies = new LinkedHashMap<>();
        new java.util.TreeMap<>(byId).forEach((id, jar) -> {
            Plugin plugin = read(jar);
            dependencies.put(id, plugin == null ? List.of() : plugin.dependencies());
        });
        List<Path> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> visiting = new HashSet<>();
        for (String id : dependencies.keySet()) {
            visit(id, dependencies, byId, done, visiting, order);
        }
        return order;
    }

    private static void visit(String id, Map<String, List<String>> dependencies, Map<String, Path> byId, Set<String> done,
                              Set<String> visiting, List<Path> order) {
        if (done.contains(id) || !dependencies.containsKey(id) || !visiting.add(id)) {
            return;
        }
        for (String dependency : dependencies.get(id)) {
            visit(dependency, dependencies, byId, done, visiting, order);
        }
        done.add(id);
        order.add(byId.get(id));
    }
}
