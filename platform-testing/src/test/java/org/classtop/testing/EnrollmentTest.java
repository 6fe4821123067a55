package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.classtop.core.config.ServerConfig.EnrollmentMode;
import org.junit.jupiter.api.Test;

/** SPEC section 4 enrolment: token, approve and open modes, credentials, approval and rejection. */
class EnrollmentTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void tokenModeRefusesWithoutAValidTokenAndIssuesACredentialWithOne() {
        try (TestServer server = TestServer.builder().enrollment(EnrollmentMode.TOKEN).start()) {
            FakeAgent stranger = new FakeAgent("tok-1");
            stranger.register(server.wsUrl("tok-1"), "PC", Map.of());
            FakeAgent.Closed refused = stranger.awaitClosed(WAIT);
            assertEquals(1008, refused.code());
            assertTrue(refused.reason().contains("enrolment token"), refused.reason());

            FakeAgent forger = new FakeAgent("tok-1");
            forger.register(server.wsUrl("tok-1"), "PC", Map.of("token", "cte_made_up"));
            assertTrue(forger.awaitClosed(WAIT).reason().contains("not valid"));

            ApiResult created = server.api().post("/api/enrollment/tokens", Map.of("name", "Lab 2", "expires_in", 3600));
            assertEquals(201, created.status(), created.toString());
            String token = created.data().path("token").asText();
            assertTrue(token.startsWith("cte_"));
            JsonNode listed = server.api().get("/api/enrollment/tokens").data();
            assertFalse(listed.toString().contains(token), "a token is never shown again");

            FakeAgent agent = new FakeAgent("tok-1").on("ping", p -> Map.of("pong", true));
            agent.register(server.wsUrl("tok-1"), "PC", Map.of("token", token));
            JsonNode registered = agent.await("registered", WAIT);
            assertEquals("approved", registered.path("status").asText());
            String credential = registered.path("credential").asText();
            assertTrue(credential.startsWith("ctc_"), registered.toString());
            assertEquals(true, server.api().post("/api/clients/tok-1/command", Map.of("command", "ping")).data().path("pong").asBoolean());
            agent.close();

            FakeAgent again = new FakeAgent("tok-1");
            again.register(server.wsUrl("tok-1"), "PC", Map.of("token", credential));
            assertEquals("approved", again.await("registered", WAIT).path("status").asText());
            again.close();

            FakeAgent impostor = new FakeAgent("tok-1");
            impostor.register(server.wsUrl("tok-1"), "PC", Map.of("token", "ctc_wrong"));
            assertEquals(1008, impostor.awaitClosed(WAIT).code());

            long id = created.data().path("id").asLong();
            assertEquals(200, server.api().delete("/api/enrollment/tokens/" + id).status());
            assertEquals(404, server.api().delete("/api/enrollment/tokens/" + id + "999").status());
            FakeAgent late = new FakeAgent("tok-2");
            late.register(server.wsUrl("tok-2"), "PC", Map.of("token", token));
            assertTrue(late.awaitClosed(WAIT).reason().contains("not valid"), "a revoked token no longer enrols");
        }
    }

    @Test
    void approveModeKeepsAgentsPendingUntilAnAdminApproves() {
        try (TestServer server = TestServer.builder().enrollment(EnrollmentMode.APPROVE).start()) {
            FakeAgent agent = new FakeAgent("appr-1").on("ping", p -> Map.of("pong", true));
            agent.register(server.wsUrl("appr-1"), "Room 7", Map.of());
            assertEquals("pending", agent.await("registered", WAIT).path("status").asText());

            JsonNode pending = server.api().get("/api/clients/pending").data();
            assertTrue(AgentProtocolTest.contains(pending, "appr-1"));
            ApiResult refused = server.api().post("/api/clients/appr-1/command", Map.of("command", "ping"));
            assertEquals(409, refused.status());
            assertEquals("CLIENT_PENDING", refused.code());

            ApiResult approved = server.api().post("/api/clients/appr-1/approve", Map.of());
            assertEquals(200, approved.status(), approved.toString());
            JsonNode notice = agent.await("registered", WAIT);
            assertEquals("approved", notice.path("status").asText());
            assertNotNull(notice.get("credential"));
            assertEquals(200, server.api().post("/api/clients/appr-1/command", Map.of("command", "ping")).status());

            ApiResult rejected = server.api().post("/api/clients/appr-1/reject", Map.of());
            assertEquals("rejected", rejected.data().path("enrollment").asText());
            assertEquals(1008, agent.awaitClosed(WAIT).code());
            FakeAgent back = new FakeAgent("appr-1");
            back.register(server.wsUrl("appr-1"), "Room 7", Map.of("token", notice.get("credential").asText()));
            assertTrue(back.awaitClosed(WAIT).reason().contains("rejected"));

            assertEquals(404, server.api().post("/api/clients/nobody/approve", Map.of()).status());
        }
    }

    @Test
    void legacyClientIsPendingInApproveModeAndWorksOnceApproved() {
        try (TestServer server = TestServer.builder().enrollment(EnrollmentMode.APPROVE).start()) {
            FakeAgent legacy = new FakeAgent("legacy-appr").on("get_all_settings", p -> Map.of("settings", Map.of()));
            legacy.connect(server.wsUrl("legacy-appr"));
            legacy.sendJson(Map.of("name", "Old PC"));
            Poll.until("pending", WAIT, () -> AgentProtocolTest.contains(server.api().get("/api/clients/pending").data(), "legacy-appr"));
            server.api().post("/api/clients/legacy-appr/approve", Map.of());
            assertEquals(200, server.api().post("/api/clients/legacy-appr/command", Map.of("command", "get_all_settings")).status());
            legacy.close();

            FakeAgent reconnect = new FakeAgent("legacy-appr").on("get_all_settings", p -> Map.of("settings", Map.of()));
            reconnect.connect(server.wsUrl("legacy-appr"));
            reconnect.heartbeat();
            reconnect.await("heartbeat_ack", WAIT);
            assertEquals(200, server.api().post("/api/clients/legacy-appr/command", Map.of("command", "get_all_settings")).status(),
                    "an approved legacy client is recognised by its uuid");
            reconnect.close();
        }
    }
}
