package org.classtop.plugins.cctv.cameras.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.classtop.api.PluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured cameras in {@code cameras.json} of the plugin's data folder. Every change rewrites the file
 * atomically (a synced temporary file moved over it), so a crash leaves the old list or the new one.
 */
@Singleton
final class CameraStore {
    private static final Logger LOG = LoggerFactory.getLogger(CameraStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    @Inject
    CameraStore(PluginContext context) {
        this(context.dataDir().resolve("cameras.json"));
    }

    CameraStore(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The saved cameras; none when there is no file. A file that cannot be read is set aside, named in the log. */
    List<CameraSpec> load() {
        List<CameraSpec> specs = new ArrayList<>();
        if (!Files.exists(file)) {
            return specs;
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            for (JsonNode camera : root.path("cameras")) {
                specs.add(new CameraSpec(camera.path("camera_id").asText(), camera.path("name").asText(),
                        camera.path("source").asText(), camera.path("width").asInt(), camera.path("height").asInt(),
                        camera.path("fps").asDouble()));
            }
            return specs;
        } catch (IOException e) {
            Path aside = file.resolveSibling("cameras.json.unreadable-" + System.currentTimeMillis());
            try {
                Files.move(file, aside);
            } catch (IOException moveFailed) {
                e.addSuppressed(moveFailed);
            }
            LOG.error("[cctv-cameras] The camera list {} could not be read and was set aside as {}: {}", file, aside, e.toString());
            return new ArrayList<>();
        }
    }

    void save(List<CameraSpec> specs) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode cameras = root.putArray("cameras");
        for (CameraSpec spec : specs) {
            cameras.addObject().put("camera_id", spec.cameraId()).put("name", spec.name()).put("source", spec.source())
                    .put("width", spec.width()).put("height", spec.height()).put("fps", spec.fps());
        }
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The camera list could not be saved to " + file + ": " + e.getMessage(), e);
        }
    }
}
