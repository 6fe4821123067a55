package org.classtop.core.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.classtop.core.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <data>/plugin-state.json}: {@code {"disabled":[ids],"removed":[ids]}}, what an admin switched off
 * or removed, so a restart keeps it. Written whole to a temporary file, then moved over the old one.
 */
final class PluginStateFile {
    private static final Logger LOG = LoggerFactory.getLogger(PluginStateFile.class);

    private final Path file;
    final Set<String> disabled = new TreeSet<>();
    final Set<String> removed = new TreeSet<>();

    PluginStateFile(Path file) {
        this.file = file;
        if (Files.isRegularFile(file)) {
            try {
                JsonNode root = Json.mapper().readTree(file.toFile());
                root.path("disabled").forEach(id -> disabled.add(id.asText()));
                root.path("removed").forEach(id -> removed.add(id.asText()));
            } catch (IOException e) {
                LOG.error("{} cannot be read ({}): every installed plugin starts enabled", file, e.getMessage());
            }
        }
    }

    void save() {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("disabled", disabled);
        content.put("removed", removed);
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), content);
            org.classtop.core.AtomicReplace.move(temp, file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
