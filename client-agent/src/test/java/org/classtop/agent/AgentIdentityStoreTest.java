package org.classtop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentIdentityStoreTest {
    @TempDir
    Path dataDir;

    @Test
    void generatesTheUuidOnceAndKeepsIt() throws IOException {
        String uuid = AgentIdentityStore.open(dataDir, null).identity().clientUuid();
        assertEquals(uuid, AgentIdentityStore.open(dataDir, null).identity().clientUuid());
        assertTrue(Files.readString(dataDir.resolve("agent.json")).contains(uuid));
    }

    @Test
    void keepsTheCredentialAtomicallyAndPrivately() throws IOException {
        AgentIdentityStore store = AgentIdentityStore.open(dataDir, "pc-1");
        store.saveCredential("secret-1");

        assertEquals(new AgentIdentity("pc-1", "secret-1"), AgentIdentityStore.open(dataDir, null).identity());
        try (Stream<Path> files = Files.list(dataDir)) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
        if (dataDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dataDir.resolve("agent.json"))));
        }
    }

    @Test
    void aDifferentUuidOnTheCommandLineDropsTheOldCredential() throws IOException {
        AgentIdentityStore.open(dataDir, "pc-1").saveCredential("secret-1");

        AgentIdentity identity = AgentIdentityStore.open(dataDir, "pc-2").identity();
        assertEquals("pc-2", identity.clientUuid());
        assertNull(identity.credential());
        assertEquals(new AgentIdentity("pc-2", null), AgentIdentityStore.open(dataDir, null).identity());
    }

    @Test
    void keepsFieldsItDoesNotKnow() throws IOException {
        Files.writeString(dataDir.resolve("agent.json"), "{\"client_uuid\":\"pc-9\",\"note\":\"room 12\"}");
        AgentIdentityStore.open(dataDir, null).saveCredential("c");
        String json = Files.readString(dataDir.resolve("agent.json"));
        assertTrue(json.contains("room 12") && json.contains("\"c\""), json);
    }

    @Test
    void remembersTheServersTlsAndItsPinAcrossRestarts() throws IOException {
        AgentIdentityStore store = AgentIdentityStore.open(dataDir, "pc-1");
        assertTrue(!store.serverSeenWithTls() && store.serverFingerprint() == null);
        store.rememberTls(null);
        assertTrue(AgentIdentityStore.open(dataDir, null).serverSeenWithTls());
        assertNull(AgentIdentityStore.open(dataDir, null).serverFingerprint(), "seen with TLS, nothing pinned");

        String pin = "ab".repeat(32);
        store.saveCredential("secret-1");
        store.rememberTls(pin);
        AgentIdentityStore reopened = AgentIdentityStore.open(dataDir, null);
        assertEquals(pin, reopened.serverFingerprint());
        assertTrue(reopened.serverSeenWithTls());
        assertEquals("secret-1", reopened.identity().credential());
    }

    @Test
    void aDamagedPinMatchesNoCertificate() throws IOException {
        Files.writeString(dataDir.resolve("agent.json"), "{\"client_uuid\":\"pc-9\",\"server_fingerprint\":\"AB:CD\"}");
        assertEquals("AB:CD", AgentIdentityStore.open(dataDir, null).serverFingerprint(), "kept as is: pins nothing real");
        String colons = String.join(":", "AB".repeat(32).split("(?<=\\G..)"));
        Files.writeString(dataDir.resolve("agent.json"), "{\"client_uuid\":\"pc-9\",\"server_fingerprint\":\"" + colons + "\"}");
        assertEquals("ab".repeat(32), AgentIdentityStore.open(dataDir, null).serverFingerprint(), "an edited pin may use colons");
    }

    @Test
    void refusesAFileThatIsNotJson() throws IOException {
        Files.writeString(dataDir.resolve("agent.json"), "not json");
        IOException error = assertThrows(IOException.class, () -> AgentIdentityStore.open(dataDir, null));
        assertTrue(error.getMessage().contains("agent.json"), error.getMessage());
    }
}
