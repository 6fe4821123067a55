package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.classtop.core.config.ServerConfig.EnrollmentMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No one can act as an enrolled agent: an enrolment token never re-keys a client, a client without a
 * credential is pinned to its address, and a second connection never displaces the first unless it
 * proves to be the client. The attacker connects from 127.0.0.2, "another machine" on loopback.
 */
class AgentTakeoverTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ELSEWHERE = "127.0.0.2";

    @ParameterizedTest
    @EnumSource(value = EnrollmentMode.class, names = {"TOKEN", "APPROVE"})
    void anEnrolmentTokenCannotTakeOverAnEnrolledAgent(EnrollmentMode mode) {
        try (TestServer server = TestServer.builder().enrollment(mode).start()) {
            String token = server.api().post("/api/enrollment/tokens", Map.of("name", "Lab rollout")).data().path("token").asText();
            FakeAgent victim = new FakeAgent("victim-1").on("whoami", p -> Map.of("me", "victim"));
            victim.register(server.wsUrl("victim-1"), "Room 1", Map.of("token", token));
            String credential = victim.await("registered", WAIT).path("credential").asText();
            assertTrue(credential.startsWith("ctc_"));

            // The attacker holds the shared rollout token and knows the victim's uuid.
            FakeAgent attacker = new FakeAgent("victim-1").on("whoami", p -> Map.of("me", "attacker"));
            attacker.register(server.wsUrl("victim-1"), "Room 1", Map.of("token", token));
            FakeAgent.Closed refused = attacker.awaitClosed(WAIT);
            assertEquals(1008, refused.code());
            assertTrue(refused.reason().contains("already enrolled"), refused.reason());

            // Also with the token in enrollment_token, and from another address.
            try (RawWebSocket raw = RawWebSocket.connect(server.wsUrl("victim-1"), ELSEWHERE)) {
                raw.sendJson(Map.of("type", "register", "client_uuid", "victim-1", "protocol", 1, "enrollment_token", token));
                assertEquals(1008, raw.awaitClose(WAIT).closeCode());
            }

            assertFalse(victim.isClosed(), "the real agent keeps its connection");
            assertEquals("victim", server.api().post("/api/clients/victim-1/command", Map.of("command", "whoami")).data().path("me").asText());
            victim.close();
            FakeAgent back = new FakeAgent("victim-1");
            back.register(server.wsUrl("victim-1"), "Room 1", Map.of("token", credential));
            assertEquals("approved", back.await("registered", WAIT).path("status").asText(), "its own credential still works");
            back.close();
        }
    }

    @Test
    void anApprovedLegacyClientIsPinnedToItsAddressAndNeverDisplaced() {
        try (TestServer server = TestServer.builder().enrollment(EnrollmentMode.APPROVE).start()) {
            String token = server.api().post("/api/enrollment/tokens", Map.of("name", "Lab")).data().path("token").asText();
            FakeAgent legacy = new FakeAgent("old-pc").on("whoami", p -> Map.of("me", "legacy"));
            legacy.connect(server.wsUrl("old-pc"));
            legacy.sendJson(Map.of("name", "Old PC"));
            Poll.until("pending", WAIT, () -> AgentProtocolTest.contains(server.api().get("/api/clients/pending").data(), "old-pc"));
            assertEquals(200, server.api().post("/api/clients/old-pc/approve", Map.of()).status());

            // From another machine: a heartbeat (legacy), a protocol register, an enrolment token: all refused.
            try (RawWebSocket raw = RawWebSocket.connect(server.wsUrl("old-pc"), ELSEWHERE)) {
                raw.sendJson(Map.of("type", "heartbeat", "timestamp", 1.0));
                RawWebSocket.Frame close = raw.awaitClose(WAIT);
                assertNotNull(close);
                assertEquals(1008, close.closeCode());
                assertTrue(close.text().contains("another address"), close.text());
            }
            try (RawWebSocket raw = RawWebSocket.connect(server.wsUrl("old-pc"), ELSEWHERE)) {
                raw.sendJson(Map.of("type", "register", "client_uuid", "old-pc", "protocol", 1, "name", "Old PC"));
                assertNull(raw.await("registered", Duration.ofSeconds(2)), "no credential for the attacker");
            }
            try (RawWebSocket raw = RawWebSocket.connect(server.wsUrl("old-pc"), ELSEWHERE)) {
                raw.sendJson(Map.of("type", "register", "client_uuid", "old-pc", "protocol", 1, "token", token));
                RawWebSocket.Frame close = raw.awaitClose(WAIT);
                assertTrue(close.text().contains("already enrolled"), close.text());
            }
            assertFalse(legacy.isClosed(), "the legacy client was not displaced");
            assertEquals("legacy", server.api().post("/api/clients/old-pc/command", Map.of("command", "whoami")).data().path("me").asText(),
                    "the admin gets the real client's answer");

            // The legacy client itself, reconnecting from its address, is recognised.
            legacy.close();
            FakeAgent again = new FakeAgent("old-pc").on("whoami", p -> Map.of("me", "legacy again"));
            again.connect(server.wsUrl("old-pc"));
            again.heartbeat();
            again.await("heartbeat_ack", WAIT);
            assertEquals("legacy again", server.api().post("/api/clients/old-pc/command", Map.of("command", "whoami")).data().path("me").asText());
            again.close();
        }
    }

    @Test
    void inOpenModeAnEnrolledAgentStillNeedsItsCredentialAndAnOnlineOneIsNotDisplaced() {
        try (TestServer server = TestServer.builder().enrollment(EnrollmentMode.OPEN).start()) {
            FakeAgent agent = new FakeAgent("open-1").on("whoami", p -> Map.of("me", "real"));
            agent.register(server.wsUrl("open-1"), "PC", Map.of());
            String credential = agent.await("registered", WAIT).path("credential").asText();
            assertTrue(credential.startsWith("ctc_"));

            FakeAgent impostor = new FakeAgent("open-1");
            impostor.register(server.wsUrl("open-1"), "PC", Map.of());
            assertTrue(impostor.awaitClosed(WAIT).reason().contains("credential"), "no credential, no entry");

            FakeAgent legacyImpostor = new FakeAgent("open-1");
            legacyImpostor.connect(server.wsUrl("open-1"));
            legacyImpostor.heartbeat();
            assertEquals(1008, legacyImpostor.awaitClosed(WAIT).code());
            assertEquals("real", server.api().post("/api/clients/open-1/command", Map.of("command", "whoami")).data().path("me").asText());

            // A reconnect with the credential replaces a half-dead connection at once.
            FakeAgent reconnect = new FakeAgent("open-1").on("whoami", p -> Map.of("me", "reconnected"));
            reconnect.register(server.wsUrl("open-1"), "PC", Map.of("token", credential));
            reconnect.await("registered", WAIT);
            assertTrue(agent.awaitClosed(WAIT).reason().contains("Replaced"));
            assertEquals("reconnected", server.api().post("/api/clients/open-1/command", Map.of("command", "whoami")).data().path("me").asText());
            reconnect.close();

            // A legacy client online in open mode is not displaced from another address either.
            FakeAgent legacy = new FakeAgent("open-legacy");
            legacy.connect(server.wsUrl("open-legacy"));
            legacy.heartbeat();
            legacy.await("heartbeat_ack", WAIT);
            try (RawWebSocket raw = RawWebSocket.connect(server.wsUrl("open-legacy"), ELSEWHERE)) {
                raw.sendJson(Map.of("type", "heartbeat", "timestamp", 1.0));
                assertTrue(raw.awaitClose(WAIT).text().contains("already connected"));
            }
            assertFalse(legacy.isClosed());
            legacy.close();
        }
    }

    @Test
    void reEnrolmentLetsALostAgentBackAndVoidsItsOldCredential() {
        try (TestServer server = TestServer.builder().enrollment(EnrollmentMode.TOKEN).start()) {
            String token = server.api().post("/api/enrollment/tokens", Map.of("name", "Lab")).data().path("token").asText();
            FakeAgent agent = new FakeAgent("lost-1");
            agent.register(server.wsUrl("lost-1"), "PC", Map.of("token", token));
            String oldCredential = agent.await("registered", WAIT).path("credential").asText();

            // The PC was reinstalled: the new install has only the rollout token, which may not re-key the client...
            FakeAgent reinstalled = new FakeAgent("lost-1");
            reinstalled.register(server.wsUrl("lost-1"), "PC", Map.of("token", token));
            assertTrue(reinstalled.awaitClosed(WAIT).reason().contains("re-enrol"));

            // ...until an admin re-enrols it.
            ApiResult reenrolled = server.api().post("/api/clients/lost-1/re-enroll", Map.of());
            assertEquals(200, reenrolled.status(), reenrolled.toString());
            assertEquals(1008, agent.awaitClosed(WAIT).code());
            FakeAgent fresh = new FakeAgent("lost-1").on("ping", p -> Map.of("pong", true));
            fresh.register(server.wsUrl("lost-1"), "PC", Map.of("token", token));
            JsonNode registered = fresh.await("registered", WAIT);
            assertEquals("approved", registered.path("status").asText());
            assertFalse(registered.path("credential").asText().equals(oldCredential));
            assertEquals(200, server.api().post("/api/clients/lost-1/command", Map.of("command", "ping")).status());
            fresh.close();

            FakeAgent withOld = new FakeAgent("lost-1");
            withOld.register(server.wsUrl("lost-1"), "PC", Map.of("token", oldCredential));
            String reason = withOld.awaitClosed(WAIT).reason();
            assertTrue(reason.contains("not valid"), "the old credential is void: " + reason);

            assertEquals(404, server.api().post("/api/clients/nobody/re-enroll", Map.of()).status());
        }
    }
}
