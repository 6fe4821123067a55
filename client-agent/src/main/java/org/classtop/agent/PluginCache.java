package org.classtop.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <agent data>/plugin-cache}: the agent sides downloaded from the server, one file
 * {@code <id>-<sha256>.jar} each (a download in progress ends in {@code .part}), and {@code announced.json},
 * the server's last announce, which decides at the next start.
 */
final class PluginCache {
    private static final Logger LOG = LoggerFactory.getLogger(PluginCache.class);
    static final String FOLDER = "plugin-cache";
    static final String ANNOUNCED = "announced.json";

    private final Path folder;

    PluginCache(Path agentDataDir) {
        this.folder = agentDataDir.resolve(FOLDER);
    }

    Path folder() {
        return folder;
    }

    Path jar(String id, String sha256) {
        return folder.resolve(id + "-" + sha256 + ".jar");
    }

    Path partial(String id, String sha256) {
        return folder.resolve(id + "-" + sha256 + ".jar.part");
    }

    /** The cached jar of that hash, if present and its bytes still have that hash (else it is deleted). */
    Optional<Path> verified(String id, String sha256) {
        Path jar = jar(id, sha256);
        if (!Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        try {
            String actual = sha256(jar);
            if (actual.equals(sha256)) {
                return Optional.of(jar);
            }
            LOG.warn("[{}] The cached jar {} no longer has the SHA-256 in its name (it has {}); it is deleted", id, jar, actual);
            Files.deleteIfExists(jar);
        } catch (IOException e) {
            LOG.warn("[{}] The cached jar {} cannot be read: {}", id, jar, e.getMessage());
        }
        return Optional.empty();
    }

    /** Deletes the cached jars of {@code id} other than {@code keepSha256} (best effort: a loaded jar may be locked). */
    void prune(String id, String keepSha256) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(file -> {
                String name = file.getFileName().toString();
                return name.startsWith(id + "-") && name.endsWith(".jar") && name.length() == id.length() + 1 + 64 + 4
                        && !name.equals(id + "-" + keepSha256 + ".jar");
            }).forEach(file -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.debug("[{}] {} stays in the cache: {}", id, file, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.debug("The plugin cache {} cannot be listed: {}", folder, e.getMessage());
        }
    }

    /** The bytes the cached jars and partial downloads take. */
    long size() {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(PluginCache::isJarOrPart).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Deletes every {@code .jar} and {@code .jar.part} of the cache except the jars named in {@code keep}
     * ({@code <id>-<sha256>.jar}); best effort, a loaded jar may be locked. Answers the names deleted.
     */
    List<String> keepOnly(Set<String> keep) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<String> deleted = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(PluginCache::isJarOrPart).toList()) {
                String name = file.getFileName().toString();
                if (keep.contains(name)) {
                    continue;
                }
                try {
                    if (Files.deleteIfExists(file)) {
                        deleted.add(name);
                    }
                } catch (IOException e) {
                    LOG.debug("{} stays in the cache: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.debug("The plugin cache {} cannot be listed: {}", folder, e.getMessage());
        }
        return deleted;
    }

    static String jarName(String id, String sha256) {
        return id + "-" + sha256 + ".jar";
    }

    private static boolean isJarOrPart(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file) && (name.endsWith(".jar") || name.endsWith(".jar.part"));
    }

    /** The last announce kept, or none when there is no (readable) {@code announced.json}. */
    AnnouncedPlugins readAnnounced() {
        Path file = folder.resolve(ANNOUNCED);
        if (!Files.isRegularFile(file)) {
            return AnnouncedPlugins.NONE;
        }
        try {
            return AnnouncedPlugins.parse(Json.readObject(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("{} cannot be read ({}); starting with the local plugins only", file, e.getMessage());
            return AnnouncedPlugins.NONE;
        }
    }

    void writeAnnounced(AnnouncedPlugins announced) throws IOException {
        Files.createDirectories(folder);
        Map<String, Object> json = announced.toJson();
        AtomicFiles.write(folder.resolve(ANNOUNCED), Json.write(json).getBytes(StandardCharsets.UTF_8), false);
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This Java has no SHA-256.", e);
        }
    }
}
