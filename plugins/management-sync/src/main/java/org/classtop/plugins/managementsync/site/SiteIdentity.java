package org.classtop.plugins.managementsync.site;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.UUID;
import org.classtop.api.PluginContext;

/**
 * {@code site.json} in the plugin's data folder, readable by the server's user only (0600): the
 * {@code lms_uuid} (generated once and kept), and what the centre answered to the registration: {@code lms_id}
 * and the {@code api_key}. The key must be presented, so it cannot be kept hashed; the file's permissions guard it.
 * A key belongs to one centre: with another {@code --management-url} the LMS registers again (same uuid).
 */
@Singleton
public final class SiteIdentity {
    static final String FILE_NAME = "site.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private String lmsUuid;
    private String lmsId;
    private String apiKey;
    private String centre;

    @Inject
    public SiteIdentity(PluginContext plugin) {
        this.file = plugin.dataDir().resolve(FILE_NAME);
    }

    /** Reads the file, creating the uuid on first use. */
    public synchronized void load(String centreBase) {
        try {
            if (Files.isRegularFile(file)) {
                JsonNode stored = JSON.readTree(file.toFile());
                lmsUuid = text(stored, "lms_uuid");
                centre = text(stored, "management_url");
                if (centreBase.equals(centre)) {
                    lmsId = text(stored, "lms_id");
                    apiKey = text(stored, "api_key");
                }
            }
            if (lmsUuid == null) {
                lmsUuid = UUID.randomUUID().toString();
            }
            centre = centreBase;
            save();
        } catch (IOException e) {
            throw new UncheckedIOException("The site identity " + file + " cannot be used: " + e.getMessage(), e);
        }
    }

    public synchronized String lmsUuid() {
        return lmsUuid;
    }

    public synchronized Optional<String> lmsId() {
        return Optional.ofNullable(lmsId);
    }

    public synchronized Optional<String> apiKey() {
        return Optional.ofNullable(apiKey);
    }

    /** Keeps what the centre answered to the registration. */
    public synchronized void registered(String newLmsId, String newApiKey) {
        this.lmsId = newLmsId;
        this.apiKey = newApiKey;
        try {
            save();
        } catch (IOException e) {
            throw new UncheckedIOException("The site identity " + file + " cannot be written: " + e.getMessage(), e);
        }
    }

    /** Forgets a key the centre no longer takes. */
    public synchronized void forgetKey() {
        registered(lmsId, null);
    }

    private void save() throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("lms_uuid", lmsUuid);
        node.put("management_url", centre);
        if (lmsId != null) {
            node.put("lms_id", lmsId);
        }
        if (apiKey != null) {
            node.put("api_key", apiKey);
        }
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), ".site", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not POSIX: the folder's ACL applies
            }
            Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
