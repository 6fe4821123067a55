package org.classtop.plugins.settings;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.classtop.api.PluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's settings: text keys to text values, kept in {@code settings.json} in the plugin's data
 * folder. Read on first use; every change is written before it is reported (temp file, fsync, atomic
 * move). Thread-safe.
 */
public final class SettingsStore {
    private static final Logger LOG = LoggerFactory.getLogger(SettingsStore.class);
    static final String FILE_NAME = "settings.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Supplier<Path> file;
    private TreeMap<String, String> settings;

    @Inject
    public SettingsStore(PluginContext plugin) {
        this(() -> plugin.dataDir().resolve(FILE_NAME));
    }

    private SettingsStore(Supplier<Path> file) {
        this.file = file;
    }

    /** A store kept in {@code file} (for tests and tools). */
    public static SettingsStore atFile(Path file) {
        return new SettingsStore(() -> file);
    }

    /** Every setting, sorted by key. */
    public synchronized Map<String, String> all() {
        return Collections.unmodifiableMap(new TreeMap<>(loaded()));
    }

    public synchronized Optional<String> get(String key) {
        return Optional.ofNullable(loaded().get(key));
    }

    /**
     * Sets every given value and persists them together.
     *
     * @return the keys whose value actually changed, in the given order
     * @throws UncheckedIOException when the file cannot be written; nothing changes then
     */
    public synchronized List<String> putAll(Map<String, String> values) {
        TreeMap<String, String> next = new TreeMap<>(loaded());
        List<String> changed = new ArrayList<>();
        values.forEach((key, value) -> {
            if (!value.equals(next.put(key, value))) {
                changed.add(key);
            }
        });
        if (!changed.isEmpty()) {
            write(next);
            settings = next;
        }
        return changed;
    }

    /**
     * Removes one setting and persists the rest.
     *
     * @return false when there was no such setting (nothing is written then)
     * @throws UncheckedIOException when the file cannot be written; nothing changes then
     */
    public synchronized boolean remove(String key) {
        if (!loaded().containsKey(key)) {
            return false;
        }
        TreeMap<String, String> next = new TreeMap<>(loaded());
        next.remove(key);
        write(next);
        settings = next;
        return true;
    }

    private TreeMap<String, String> loaded() {
        if (settings == null) {
            settings = read(file.get());
        }
        return settings;
    }

    private static TreeMap<String, String> read(Path path) {
        TreeMap<String, String> values = new TreeMap<>();
        if (!Files.exists(path)) {
            return values;
        }
        Map<String, Object> raw;
        try {
            raw = MAPPER.readValue(path.toFile(), new TypeReference<Map<String, Object>>() {
            });
        } catch (IOException e) {
            Path aside = path.resolveSibling(FILE_NAME + ".unreadable-" + System.currentTimeMillis());
            LOG.error("{} is not a JSON object ({}); it is moved to {} and the settings start empty", path,
                    e.getMessage(), aside.getFileName());
            moveAside(path, aside);
            return values;
        }
        if (raw == null) {
            return values;
        }
        raw.forEach((key, value) -> {
            try {
                String name = SettingValues.checkKey(key);
                values.put(name, SettingValues.toText(name, value));
            } catch (InvalidSettingException e) {
                LOG.warn("{}: the entry '{}' is skipped: {}", path, key, e.getMessage());
            }
        });
        return values;
    }

    private static void moveAside(Path path, Path aside) {
        try {
            Files.move(path, aside, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot move the unreadable " + path + " aside", e);
        }
    }

    private void write(Map<String, String> values) {
        Path target = file.get();
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, "." + FILE_NAME, ".tmp");
            try {
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    ByteBuffer bytes = ByteBuffer.wrap(MAPPER.writeValueAsBytes(values));
                    while (bytes.hasRemaining()) {
                        channel.write(bytes);
                    }
                    channel.force(true);
                }
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the settings to " + target + ": " + e.getMessage(), e);
        }
    }
}
