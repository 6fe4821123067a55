package org.classtop.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code agent.json} in the data folder: the client uuid (generated once), the credential the
 * server issued, and what the agent knows of the server's TLS: {@code server_tls} (it was seen with TLS,
 * so the credential never goes over plain ws://) and {@code server_fingerprint} (the pinned certificate).
 * Other fields in the file are kept as they are. Writes are atomic.
 */
public final class AgentIdentityStore {
    private static final Logger LOG = LoggerFactory.getLogger(AgentIdentityStore.class);
    static final String FILE_NAME = "agent.json";
    static final String SERVER_FINGERPRINT = "server_fingerprint";
    static final String SERVER_TLS = "server_tls";

    private final Path file;
    private ObjectNode document;
    private AgentIdentity identity;

    private AgentIdentityStore(Path file) {
        this.file = file;
    }

    /**
     * Reads (or creates) {@code agent.json} in {@code dataDir}. A {@code fixedUuid} wins over the stored one;
     * when it differs, the stored credential belonged to another uuid and is dropped.
     */
    public static AgentIdentityStore open(Path dataDir, String fixedUuid) throws IOException {
        AgentIdentityStore store = new AgentIdentityStore(dataDir.resolve(FILE_NAME));
        store.load(fixedUuid);
        return store;
    }

    public synchronized AgentIdentity identity() {
        return identity;
    }

    public Path file() {
        return file;
    }

    /** Persists a credential the server issued; a repeat of the same credential writes nothing. */
    public synchronized void saveCredential(String credential) throws IOException {
        if (credential.equals(identity.credential())) {
            return;
        }
        document.put("credential", credential);
        persist();
        identity = identity.withCredential(credential);
    }

    /** The fingerprint of the server certificate pinned earlier (at enrolment or by the flag), or null. */
    public synchronized String serverFingerprint() {
        String stored = text(SERVER_FINGERPRINT);
        if (stored == null) {
            return null;
        }
        try {
            return ServerFingerprint.parse(stored);
        } catch (IllegalArgumentException e) {
            // A damaged pin must not open the door: it matches no certificate until it is fixed or removed.
            return stored;
        }
    }

    /** Whether this agent has connected to the server over TLS before. */
    public synchronized boolean serverSeenWithTls() {
        var node = document.get(SERVER_TLS);
        return node != null && node.asBoolean(false);
    }

    /**
     * Records a TLS connection to the server and, when not null, the certificate fingerprint to pin from
     * now on. Writes only when something changes.
     */
    public synchronized void rememberTls(String pinFingerprint) throws IOException {
        boolean changed = !serverSeenWithTls();
        if (pinFingerprint != null && !pinFingerprint.equals(text(SERVER_FINGERPRINT))) {
            document.put(SERVER_FINGERPRINT, pinFingerprint);
            changed = true;
        }
        if (changed) {
            document.put(SERVER_TLS, true);
            persist();
        }
    }

    private void load(String fixedUuid) throws IOException {
        document = Files.exists(file) ? readDocument() : Json.MAPPER.createObjectNode();
        String storedUuid = text("client_uuid");
        String credential = text("credential");
        String uuid = fixedUuid != null ? fixedUuid : storedUuid;
        boolean changed = false;
        if (uuid == null) {
            uuid = UUID.randomUUID().toString();
            LOG.info("Generated the client uuid {} (kept in {})", uuid, file);
        }
        if (storedUuid != null && !storedUuid.equals(uuid) && credential != null) {
            LOG.warn("The uuid {} given on the command line differs from the stored {}: its credential is dropped",
                    uuid, storedUuid);
            document.remove("credential");
            credential = null;
        }
        if (!uuid.equals(storedUuid)) {
            document.put("client_uuid", uuid);
            changed = true;
        }
        identity = new AgentIdentity(uuid, credential);
        if (changed) {
            persist();
        }
    }

    private ObjectNode readDocument() throws IOException {
        try {
            if (Json.MAPPER.readTree(file.toFile()) instanceof ObjectNode node) {
                return node;
            }
        } catch (IOException e) {
            throw new IOException(file + " is not valid JSON (" + e.getMessage() + ")", e);
        }
        throw new IOException(file + " does not hold a JSON object");
    }

    private String text(String field) {
        var node = document.get(field);
        return node == null || node.isNull() || node.asText().isBlank() ? null : node.asText();
    }

    private void persist() throws IOException {
        AtomicFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(document), true);
    }
}
