package org.classtop.core.auth;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.classtop.core.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers that the first admin still signs in with the password generated at the first start, so the
 * UI can ask for a new one: a small file in the data folder naming the user (nothing secret), removed when
 * that user changes the password.
 */
@Singleton
public final class GeneratedPassword {
    private static final Logger LOG = LoggerFactory.getLogger(GeneratedPassword.class);
    static final String FILE_NAME = "generated-password-in-use";

    private final Path file;

    @Inject
    public GeneratedPassword(ServerConfig config) {
        this.file = config.dataDir().resolve(FILE_NAME);
    }

    void mark(String username) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, username, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("Could not note that '{}' has a generated password: {}", username, e.getMessage());
        }
    }

    /** True while {@code username} still has the password generated at the first start. */
    public boolean inUseBy(String username) {
        try {
            return Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).trim().equals(username);
        } catch (IOException e) {
            return false;
        }
    }

    /** The user chose a password of their own. */
    public void changedBy(String username) {
        if (inUseBy(username)) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("Could not remove {}: {}", file, e.getMessage());
            }
        }
    }
}
