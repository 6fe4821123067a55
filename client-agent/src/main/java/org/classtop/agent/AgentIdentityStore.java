package org.classtop.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code agent.json} in the data folder: the client uuid (generated once) and the credential the
 * server issued. Other fields in the file are kept as they are. Writes are atomic.
 */
public final class AgentIdentityStore {
    private static final Logger LOG = LoggerFactory.getLogger(AgentIdentityStore.class);
    static final String FILE_NAME = "agent.json";

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
