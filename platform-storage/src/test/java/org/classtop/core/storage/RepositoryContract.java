package org.classtop.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.classtop.api.Event;
import org.classtop.core.storage.ApiTokenRepository.ApiToken;
import org.classtop.core.storage.AuditLogRepository.AuditEntry;
import org.classtop.core.storage.AuditLogRepository.Filter;
import org.classtop.core.storage.ClientRepository.ClientRecord;
import org.classtop.core.storage.CommandLogRepository.CommandLogEntry;
import org.classtop.core.storage.EnrollmentTokenRepository.EnrollmentToken;
import org.classtop.core.storage.SessionRepository.ApiSession;
import org.classtop.core.storage.UserRepository.User;
import org.junit.jupiter.api.Test;

abstract class RepositoryContract extends DatabaseTestBase {

    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00.123Z");

    @Test
    void clientsAreSavedFoundUpdatedAndDeleted() {
        PlatformDatabase db = openMigrated();
        ClientRepository clients = new ClientRepository(db);
        ClientRecord a = new ClientRecord("uuid-a", "Room 101", "10.0.0.5", "pending", "client", "1.2.0",
                List.of("get_setting", "set_setting"), false, null,
                Map.of("settings", Map.of("theme", "dark")), T0, T0, true);
        join(clients.save(a));
        join(clients.save(new ClientRecord("uuid-b", null, null, null, null, null, null, true, null, null,
                T0.plusSeconds(5), null, false)));

        assertEquals(a, clients.find("uuid-a").orElseThrow());
        ClientRecord b = clients.find("uuid-b").orElseThrow();
        assertTrue(b.legacy());
        assertEquals("pending", b.enrollment());
        assertEquals(List.of(), b.capabilities());
        assertEquals(Map.of(), b.lastState());
        assertNull(b.lastSeen());
        assertEquals(List.of("uuid-a", "uuid-b"), clients.findAll().stream().map(ClientRecord::uuid).toList());
        assertEquals(2, clients.count());

        // upsert: every column but first_seen follows the record
        ClientRecord a2 = new ClientRecord("uuid-a", "Room 102", "10.0.0.6", "approved", "client", "1.3.0",
                List.of("refresh_state"), false, "hash-1", Map.of(), T0.plusSeconds(999), T0.plusSeconds(60), false);
        join(clients.save(a2));
        ClientRecord stored = clients.find("uuid-a").orElseThrow();
        assertEquals("Room 102", stored.name());
        assertEquals("approved", stored.enrollment());
        assertEquals(List.of("refresh_state"), stored.capabilities());
        assertEquals("hash-1", stored.credentialHash());
        assertEquals(T0, stored.firstSeen());
        assertEquals(T0.plusSeconds(60), stored.lastSeen());

        assertTrue(join(clients.setEnrollment("uuid-b", "rejected")));
        assertFalse(join(clients.setEnrollment("nobody", "approved")));
        assertThrows(IllegalArgumentException.class, () -> clients.setEnrollment("uuid-b", "maybe"));
        assertEquals(List.of("uuid-b"), clients.findByEnrollment("rejected").stream().map(ClientRecord::uuid).toList());
        assertTrue(join(clients.setCredentialHash("uuid-b", "hash-b")));
        assertEquals("hash-b", clients.find("uuid-b").orElseThrow().credentialHash());

        Instant seen = T0.plusSeconds(3600);
        assertTrue(join(clients.markOnline("uuid-b", true, seen)));
        assertTrue(clients.find("uuid-b").orElseThrow().online());
        assertEquals(seen, clients.find("uuid-b").orElseThrow().lastSeen());
        Map<String, Object> state = Map.of("settings", Map.of("a", "1"), "cctv_state", Map.of("cameras", List.of(1, 2)));
        assertTrue(join(clients.saveState("uuid-b", state)));
        assertEquals(state, clients.find("uuid-b").orElseThrow().lastState());
        assertTrue(join(clients.saveMetadata("uuid-b", Map.of("room", "lab"))));
        assertEquals(Map.of("room", "lab"), clients.metadata("uuid-b"));

        // last seen of many clients in one batch (the hub's heartbeat sweep); an unknown uuid changes nothing
        join(clients.saveLastSeen(Map.of("uuid-a", seen.plusSeconds(30), "uuid-b", seen.plusSeconds(31),
                "nobody", seen)));
        assertEquals(seen.plusSeconds(30), clients.find("uuid-a").orElseThrow().lastSeen());
        assertEquals(seen.plusSeconds(31), clients.find("uuid-b").orElseThrow().lastSeen());
        assertTrue(clients.find("nobody").isEmpty());
        join(clients.saveLastSeen(Map.of()));

        join(clients.markOnline("uuid-a", true, seen));
        assertEquals(2, join(clients.markAllOffline()));
        assertTrue(clients.findAll().stream().noneMatch(ClientRecord::online));

        assertTrue(join(clients.delete("uuid-a")));
        assertFalse(join(clients.delete("uuid-a")));
        assertTrue(clients.find("uuid-a").isEmpty());
    }

    @Test
    void commandLogsAreAppendedFilteredAndPaged() {
        PlatformDatabase db = openMigrated();
        CommandLogRepository log = new CommandLogRepository(db);
        for (int i = 0; i < 30; i++) {
            String client = i % 2 == 0 ? "c-even" : "c-odd";
            String status = i % 3 == 0 ? "timeout" : "ok";
            join(log.append(new CommandLogEntry(0, "req-" + i, client, i % 5 == 0 ? "get_setting" : "set_setting",
                    Map.of("key", "k" + i), status.equals("ok") ? Boolean.TRUE : null, status,
                    status.equals("ok") ? Map.of("value", i) : null, status.equals("ok") ? null : "no answer",
                    "admin", T0.plusSeconds(i), status.equals("ok") ? T0.plusSeconds(i).plusMillis(15) : null,
                    status.equals("ok") ? 15L : null)));
        }
        assertEquals(30, log.count());
        List<CommandLogEntry> newest = log.recent(null, null, null, 5, 0);
        assertEquals(5, newest.size());
        assertEquals("req-29", newest.get(0).requestId());
        assertTrue(newest.get(0).id() > newest.get(1).id());

        CommandLogEntry e = log.recent(null, null, null, 100, 0).stream()
                .filter(x -> x.requestId().equals("req-4")).findFirst().orElseThrow();
        assertEquals("c-even", e.clientUuid());
        assertEquals("set_setting", e.command());
        assertEquals(Map.of("key", "k4"), e.params());
        assertEquals(Boolean.TRUE, e.success());
        assertEquals(Map.of("value", 4), e.response());
        assertEquals(T0.plusSeconds(4), e.sentAt());
        assertEquals(T0.plusSeconds(4).plusMillis(15), e.answeredAt());
        assertEquals(15L, e.durationMs());
        assertEquals("admin", e.requestedBy());

        CommandLogEntry timedOut = log.findByRequestId("req-3").orElseThrow();
        assertNull(timedOut.success());
        assertNull(timedOut.response());
        assertNull(timedOut.durationMs());
        assertEquals("no answer", timedOut.error());

        assertEquals(15, log.recent("c-even", null, null, 100, 0).size());
        assertEquals(6, log.recent(null, "get_setting", null, 100, 0).size());
        assertEquals(10, log.recent(null, null, "timeout", 100, 0).size());
        assertEquals(5, log.recent("c-odd", null, "timeout", 100, 0).size());

        // paging by id
        List<CommandLogEntry> page1 = log.recent("c-even", null, null, 10, 0);
        List<CommandLogEntry> page2 = log.recent("c-even", null, null, 10, page1.get(9).id());
        assertEquals(10, page1.size());
        assertEquals(5, page2.size());
        assertTrue(page2.get(0).id() < page1.get(9).id());

        assertTrue(join(log.finish("req-3", false, "failed", Map.of("error", "late"), "late", T0.plusSeconds(90), 87_000L)));
        CommandLogEntry finished = log.findByRequestId("req-3").orElseThrow();
        assertEquals(Boolean.FALSE, finished.success());
        assertEquals("failed", finished.status());
        assertEquals(87_000L, finished.durationMs());
        assertFalse(join(log.finish("nope", true, "ok", null, null, T0, 1L)));

        assertEquals(10, join(log.deleteOlderThan(T0.plusSeconds(10))));
        assertEquals(20, log.count());
    }

    @Test
    void connectionLogsAreAppendedAndListedNewestFirst() {
        PlatformDatabase db = openMigrated();
        ConnectionLogRepository log = new ConnectionLogRepository(db);
        join(log.append("c1", "connected", "10.0.0.1", null, T0));
        join(log.append("c1", "disconnected", "10.0.0.1", "heartbeat timeout", T0.plusSeconds(90)));
        join(log.append("c2", "refused", "10.0.0.2", "invalid enrollment token"));
        List<ConnectionLogRepository.ConnectionLogEntry> c1 = log.recent("c1", 10);
        assertEquals(List.of("disconnected", "connected"), c1.stream().map(x -> x.event()).toList());
        assertEquals("heartbeat timeout", c1.get(0).detail());
        assertEquals(T0.plusSeconds(90), c1.get(0).at());
        assertEquals("10.0.0.1", c1.get(1).ipAddress());
        assertEquals(3, log.recent(null, 10).size());
        assertEquals(1, log.recent(null, 1).size());
        assertEquals("refused", log.recent(null, 1).get(0).event());
    }

    @Test
    void connectionLogRowsAppendedInABurstAreAllWrittenInOrderInFewerWrites() throws Exception {
        PlatformDatabase db = openMigrated();
        ConnectionLogRepository log = new ConnectionLogRepository(db);
        long writesBefore = db.committedWrites();
        int threads = 4;
        int perThread = 1500;
        java.util.concurrent.ConcurrentLinkedQueue<java.util.concurrent.CompletionStage<Void>> stages = new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<Thread> appenders = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String client = "c" + t;
            Thread appender = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    stages.add(log.append(client, "connected", "10.0.0.1", Integer.toString(i), T0.plusMillis(i)));
                }
            });
            appender.start();
            appenders.add(appender);
        }
        for (Thread appender : appenders) {
            appender.join();
        }
        stages.forEach(stage -> join(stage));

        Map<String, List<Integer>> byClient = new java.util.HashMap<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT client_uuid, detail FROM connection_logs ORDER BY id")) {
            while (rs.next()) {
                byClient.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>()).add(Integer.parseInt(rs.getString(2)));
            }
        }
        List<Integer> expected = java.util.stream.IntStream.range(0, perThread).boxed().toList();
        for (int t = 0; t < threads; t++) {
            assertEquals(expected, byClient.get("c" + t), "every row of c" + t + ", in the order appended");
        }
        assertTrue(db.committedWrites() - writesBefore < (long) threads * perThread,
                "rows appended while the writer is busy share a write: " + (db.committedWrites() - writesBefore));
    }

    @Test
    void eventLogsAreAppendedAndCctvEventsShowInTheSeedView() throws Exception {
        PlatformDatabase db = openMigrated();
        EventLogRepository events = new EventLogRepository(db);
        join(events.append(new Event("cctv.recording_started", "c1", Map.of("camera_id", "cam1", "file", "a.mp4"), T0)));
        join(events.append(new Event("client.connected", "c1", Map.of(), T0.plusSeconds(1))));
        join(events.append(new Event("cctv.recording_stopped", "c2", Map.of("camera_id", "cam9"), T0.plusSeconds(2))));
        join(events.append(new Event("settings.changed", null, null, null)));

        assertEquals(4, events.recent(null, null, 10).size());
        List<EventLogRepository.EventLogEntry> cctv = events.recent(null, "cctv.", 10);
        assertEquals(List.of("cctv.recording_stopped", "cctv.recording_started"), cctv.stream().map(x -> x.event()).toList());
        assertEquals(Map.of("camera_id", "cam1", "file", "a.mp4"), cctv.get(1).data());
        assertEquals(T0, cctv.get(1).at());
        assertEquals(1, events.recent("c1", "cctv.", 10).size());
        assertEquals(2, events.recent("c1", null, 10).size());
        assertEquals(0, events.recent(null, "CCTV.", 10).size());
        assertEquals("c1", cctv.get(1).toEvent().clientUuid());

        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT client_uuid, event_type, camera_id, created_at FROM cctv_logs ORDER BY id")) {
            assertTrue(rs.next());
            assertEquals("c1", rs.getString(1));
            assertEquals("cctv.recording_started", rs.getString(2));
            assertEquals("cam1", rs.getString(3));
            assertEquals(T0.toEpochMilli(), rs.getLong(4));
            assertTrue(rs.next());
            assertEquals("cam9", rs.getString(3));
            assertFalse(rs.next());
        }
        assertEquals(1, join(events.deleteOlderThan(T0.plusSeconds(1))));
    }

    @Test
    void configValuesArePutAndRead() {
        PlatformDatabase db = openMigrated();
        ConfigRepository config = new ConfigRepository(db);
        assertTrue(config.get("lms_uuid").isEmpty());
        join(config.put("lms_uuid", "u-1"));
        join(config.put("lms_uuid", "u-2"));
        join(config.put("api_key", null));
        assertEquals("u-2", config.get("lms_uuid").orElseThrow());
        assertTrue(config.get("api_key").isEmpty());
        assertEquals(2, config.all().size());
        assertTrue(join(config.delete("lms_uuid")));
        assertFalse(join(config.delete("lms_uuid")));
    }

    @Test
    void usersAreCreatedOnceAndUpdated() {
        PlatformDatabase db = openMigrated();
        UserRepository users = new UserRepository(db);
        assertEquals(0, users.count());
        User admin = join(users.create("admin", "$argon2id$x", "admin"));
        assertTrue(admin.id() > 0);
        assertEquals(admin, users.find("admin").orElseThrow());
        assertEquals(admin, users.findById(admin.id()).orElseThrow());
        CompletionException dup = assertThrows(CompletionException.class,
                () -> join(users.create("admin", "other", "viewer")));
        assertInstanceOf(DuplicateKeyException.class, dup.getCause());
        assertTrue(dup.getCause().getMessage().contains("admin"));

        User viewer = join(users.create("viewer1", "h", "viewer"));
        assertTrue(viewer.id() > admin.id());
        assertEquals(List.of("admin", "viewer1"), users.list().stream().map(User::username).toList());
        assertTrue(join(users.updatePassword("viewer1", "h2")));
        assertEquals("h2", users.find("viewer1").orElseThrow().passwordHash());
        assertFalse(join(users.updatePassword("ghost", "h")));
        assertFalse(join(users.replacePasswordHash("viewer1", "h", "h3")), "the hash is no longer 'h'");
        assertEquals("h2", users.find("viewer1").orElseThrow().passwordHash());
        assertTrue(join(users.replacePasswordHash("viewer1", "h2", "h3")));
        assertEquals("h3", users.find("viewer1").orElseThrow().passwordHash());
        assertFalse(join(users.replacePasswordHash("ghost", "h", "h3")));
        assertTrue(join(users.setDisabled("viewer1", true)));
        assertTrue(users.find("viewer1").orElseThrow().disabled());
        assertTrue(join(users.updateRole("viewer1", "admin")));
        assertEquals("admin", users.find("viewer1").orElseThrow().role());
        assertTrue(join(users.delete("viewer1")));
        assertFalse(join(users.delete("viewer1")));
        assertEquals(1, users.count());
    }

    @Test
    void sessionsAreFoundWhileValidTouchedAndExpired() {
        PlatformDatabase db = openMigrated();
        SessionRepository sessions = new SessionRepository(db);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String hash = Hashes.sha256Hex(Hashes.randomToken());
        ApiSession s = join(sessions.create(hash, "admin", "admin", now.plusSeconds(3600)));
        assertTrue(s.id() > 0);
        assertEquals(s, sessions.findValid(hash, now).orElseThrow());
        assertTrue(sessions.findValid(hash, now.plusSeconds(3600)).isEmpty());
        assertTrue(sessions.findValid("unknown", now).isEmpty());

        assertTrue(join(sessions.touch(hash, now.plusSeconds(60))));
        assertEquals(now.plusSeconds(60), sessions.findValid(hash, now).orElseThrow().lastUsedAt());

        String old = Hashes.sha256Hex("old");
        join(sessions.create(old, "viewer", "viewer", now.minusSeconds(1)));
        assertEquals(1, join(sessions.deleteExpired(now)));
        assertInstanceOf(DuplicateKeyException.class, assertThrows(CompletionException.class,
                () -> join(sessions.create(hash, "x", "viewer", now.plusSeconds(5)))).getCause());
        join(sessions.create(Hashes.sha256Hex("other"), "admin", "admin", now.plusSeconds(5)));
        assertEquals(2, join(sessions.deleteForUser("admin")));
        assertFalse(join(sessions.delete(hash)));
        String third = Hashes.sha256Hex("third");
        join(sessions.create(third, "admin", "admin", now.plusSeconds(5)));
        assertTrue(join(sessions.delete(third)));
        assertTrue(sessions.findValid(third, now).isEmpty());
    }

    @Test
    void enrollmentTokensAreValidUntilRevokedOrExpired() {
        PlatformDatabase db = openMigrated();
        EnrollmentTokenRepository tokens = new EnrollmentTokenRepository(db);
        Instant now = Instant.now();
        String h1 = Hashes.sha256Hex("token-1");
        String h2 = Hashes.sha256Hex("token-2");
        EnrollmentToken forever = join(tokens.create("lab", h1, "admin", null));
        EnrollmentToken shortLived = join(tokens.create("visitor", h2, "admin", now.plusSeconds(60)));
        assertTrue(forever.id() > 0 && shortLived.id() > forever.id());
        assertEquals(List.of(shortLived.id(), forever.id()), tokens.list().stream().map(EnrollmentToken::id).toList());
        assertEquals(forever, tokens.findValidByHash(h1, now).orElseThrow());
        assertTrue(tokens.findValidByHash(h2, now).isPresent());
        assertTrue(tokens.findValidByHash(h2, now.plusSeconds(61)).isEmpty());
        assertTrue(tokens.findValidByHash(h1, now.plusSeconds(10_000_000)).isPresent());

        assertTrue(join(tokens.markUsed(forever.id())));
        assertTrue(join(tokens.markUsed(forever.id())));
        assertEquals(2, tokens.find(forever.id()).orElseThrow().usedCount());
        assertFalse(join(tokens.markUsed(9999)));

        assertTrue(join(tokens.revoke(forever.id())));
        assertFalse(join(tokens.revoke(9999)));
        assertTrue(tokens.findValidByHash(h1, now).isEmpty());
        assertTrue(tokens.find(forever.id()).orElseThrow().revoked());
        assertFalse(tokens.find(forever.id()).orElseThrow().isValidAt(now));
        assertInstanceOf(DuplicateKeyException.class, assertThrows(CompletionException.class,
                () -> join(tokens.create("again", h1, "admin", null))).getCause());
    }

    @Test
    void apiTokensAreListedTouchedInOneWriteRevokedAndCleanedUp() {
        PlatformDatabase db = openMigrated();
        ApiTokenRepository tokens = new ApiTokenRepository(db);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String h1 = Hashes.sha256Hex("ctt_one");
        String h2 = Hashes.sha256Hex("ctt_two");
        ApiToken forever = join(tokens.create("backup script", h1, "viewer", "admin", null));
        ApiToken shortLived = join(tokens.create("monitoring", h2, "admin", "token:ci", now.plusSeconds(60)));
        assertTrue(forever.id() > 0 && shortLived.id() > forever.id());
        assertNull(forever.expiresAt());
        assertNull(forever.lastUsedAt());
        assertEquals(List.of(shortLived, forever), tokens.list());

        assertEquals(2, join(tokens.touch(Map.of(forever.id(), now.plusSeconds(5), shortLived.id(), now.plusSeconds(6)))));
        assertEquals(0, join(tokens.touch(Map.of(9999L, now))));
        assertEquals(now.plusSeconds(5), tokens.list().get(1).lastUsedAt());

        assertTrue(join(tokens.revoke(forever.id(), now.plusSeconds(10))));
        assertTrue(join(tokens.revoke(forever.id(), now.plusSeconds(20))), "revoking twice is fine");
        assertFalse(join(tokens.revoke(9999, now)));
        ApiToken revoked = tokens.list().get(1);
        assertTrue(revoked.revoked());
        assertEquals(now.plusSeconds(10), revoked.revokedAt(), "the first revocation's time is kept");
        assertEquals("viewer", revoked.role());
        assertEquals("admin", revoked.createdBy());
        assertInstanceOf(DuplicateKeyException.class, assertThrows(CompletionException.class,
                () -> join(tokens.create("again", h1, "admin", "admin", null))).getCause());

        assertEquals(0, join(tokens.deleteEndedBefore(now.plusSeconds(10))), "nothing ended before the cutoff");
        assertEquals(1, join(tokens.deleteEndedBefore(now.plusSeconds(11))), "the revoked one");
        assertEquals(1, join(tokens.deleteEndedBefore(now.plusSeconds(61))), "the expired one");
        assertTrue(tokens.list().isEmpty());
    }

    @Test
    void auditEntriesAreAppendedFilteredPagedAndDeleted() {
        PlatformDatabase db = openMigrated();
        AuditLogRepository audit = new AuditLogRepository(db);
        for (int i = 0; i < 30; i++) {
            String actor = i % 3 == 0 ? "admin" : "token:ci";
            String action = i % 2 == 0 ? "POST /api/tokens" : "DELETE /api/users/{username}";
            join(audit.append(new AuditEntry(0, T0.plusSeconds(i), actor, i % 3 == 0 ? "session" : "api_token",
                    "127.0.0.1", action.substring(0, action.indexOf(' ')), "/api/x/" + i, "core", action,
                    i == 29 ? 401 : 200, Map.of("n", i, "name", "row " + i))));
        }
        List<AuditEntry> newest = audit.search(Filter.ALL, 5);
        assertEquals(5, newest.size());
        AuditEntry last = newest.get(0);
        assertEquals(T0.plusSeconds(29), last.at());
        assertEquals("token:ci", last.actor());
        assertEquals("api_token", last.auth());
        assertEquals("127.0.0.1", last.address());
        assertEquals("/api/x/29", last.path());
        assertEquals("core", last.plugin());
        assertEquals(401, last.status());
        assertEquals(Map.of("n", 29, "name", "row 29"), last.detail());
        assertTrue(newest.get(0).id() > newest.get(1).id());

        assertEquals(10, audit.search(new Filter("admin", null, null, null, 0), 100).size());
        assertEquals(15, audit.search(new Filter(null, "POST /api/tokens", null, null, 0), 100).size());
        assertEquals(5, audit.search(new Filter("admin", "POST /api/tokens", null, null, 0), 100).size());
        List<AuditEntry> window = audit.search(new Filter(null, null, T0.plusSeconds(10), T0.plusSeconds(20), 0), 100);
        assertEquals(10, window.size(), "from is inclusive, to exclusive");
        assertEquals(T0.plusSeconds(19), window.get(0).at());
        assertEquals(T0.plusSeconds(10), window.get(9).at());

        List<AuditEntry> page1 = audit.search(new Filter("token:ci", null, null, null, 0), 12);
        List<AuditEntry> page2 = audit.search(new Filter("token:ci", null, null, null, page1.get(11).id()), 12);
        assertEquals(12, page1.size());
        assertEquals(8, page2.size());
        assertTrue(page2.get(0).id() < page1.get(11).id());

        assertEquals(10, join(audit.deleteOlderThan(T0.plusSeconds(10))));
        assertEquals(20, audit.search(Filter.ALL, 1000).size());
    }

    @Test
    void hashesAreSha256Hex() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hashes.sha256Hex(""));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Hashes.sha256Hex("abc"));
        assertEquals(43, Hashes.randomToken().length());
        assertTrue(Hashes.constantTimeEquals("a", "a"));
        assertFalse(Hashes.constantTimeEquals("a", "b"));
    }
}
