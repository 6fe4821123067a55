package org.classtop.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.Role;
import org.classtop.core.Timers;
import org.classtop.core.storage.ApiTokenRepository;
import org.classtop.core.storage.PlatformDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uses of API tokens are noted in memory and written behind: one write for all tokens, none when nothing was used. */
class ApiTokenServiceTest {
    @TempDir
    Path dataDir;

    private PlatformDatabase db;
    private Timers timers;
    private ApiTokenRepository repository;
    private ApiTokenService service;

    @BeforeEach
    void open() {
        db = PlatformDatabase.open(dataDir, null);
        db.migrate("core", getClass().getClassLoader());
        timers = new Timers();
        repository = spy(new ApiTokenRepository(db));
        service = new ApiTokenService(repository, timers);
        service.load();
    }

    @AfterEach
    void close() {
        timers.close();
        db.close();
    }

    private Instant storedLastUse(long id) {
        return repository.list().stream().filter(t -> t.id() == id).findFirst().orElseThrow().lastUsedAt();
    }

    @Test
    void usesAreWrittenInOneBatchAndOnlyWhenThereAreNewOnes() {
        Map<String, Object> a = service.create("a", Role.VIEWER, null, "admin");
        Map<String, Object> b = service.create("b", Role.ADMIN, null, "admin");
        String tokenA = (String) a.get("token");
        long idA = (Long) a.get("id");
        long idB = (Long) b.get("id");

        for (int i = 0; i < 100; i++) {
            assertEquals("token:a", service.authenticate(tokenA).name());
        }
        assertEquals(Role.ADMIN, service.authenticate((String) b.get("token")).role());
        assertNotNull(service.list().get(1).get("last_used_at"), "in memory at once");
        assertNull(storedLastUse(idA), "not written per request");

        service.writeLastUses();
        service.writeLastUses(); // nothing new: no write
        verify(repository, times(1)).touch(anyMap());
        db.close(); // commits what is queued
        db = PlatformDatabase.open(dataDir, null);
        repository = new ApiTokenRepository(db);
        assertNotNull(storedLastUse(idA));
        assertNotNull(storedLastUse(idB));
    }

    @Test
    void revokedAndUnknownTokensAreRefusedFromMemory() {
        Map<String, Object> created = service.create("c", Role.VIEWER, null, "admin");
        String token = (String) created.get("token");
        assertTrue(service.isValid(token));
        service.revoke((Long) created.get("id"));
        assertFalse(service.isValid(token));
        ApiException revoked = assertThrows(ApiException.class, () -> service.authenticate(token));
        assertEquals(401, revoked.status());
        assertTrue(revoked.getMessage().contains("revoked"), revoked.getMessage());
        ApiException unknown = assertThrows(ApiException.class, () -> service.authenticate(ApiTokenService.PREFIX + "nope"));
        assertEquals("INVALID_TOKEN", unknown.code());
        assertEquals(404, assertThrows(ApiException.class, () -> service.revoke(424242)).status());
    }
}
