package org.classtop.testing.ext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.classtop.api.server.AgentAuthenticator;
import org.classtop.api.server.ServerPlugin;
import org.classtop.core.config.ServerConfig.EnrollmentMode;
import org.classtop.testing.FakeAgent;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * A plugin that admits agents of its own client_type by its own keys ({@code agentAuthenticator}): admitted at once
 * even in token enrolment, refused with its sentence, a uuid that cannot switch type, one plugin per type.
 */
class AgentAuthenticatorTest {
    public static final class KeyedPlugin extends ServerPlugin {
        @Override
        protected void configure() {
            agentAuthenticator("relay").to(RelayKeys.class);
        }
    }

    /** Admits uuid relay-1 with key k-1 only. */
    public static final class RelayKeys implements AgentAuthenticator {
        @Override
        public Verdict authenticate(String clientUuid, String token, String address) {
            return "relay-1".equals(clientUuid) && "k-1".equals(token) ? Verdict.admit() : Verdict.refuse("Not a relay key I issued.");
        }
    }

    public static final class SecondPlugin extends ServerPlugin {
        @Override
        protected void configure() {
            agentAuthenticator("relay").to(RelayKeys.class);
        }
    }

    private static FakeAgent connect(TestServer server, String uuid, String type, String token) {
        FakeAgent agent = new FakeAgent(uuid);
        agent.on("ping", p -> Map.of("pong", true));
        agent.register(server.baseUrl().replace("http", "ws") + "/ws/" + uuid, uuid, token == null
                ? Map.of("client_type", type) : Map.of("client_type", type, "token", token));
        return agent;
    }

    @Test
    void aPluginAdmitsItsOwnClientTypeByItsOwnKeys() {
        try (TestServer server = TestServer.builder().enrollment(EnrollmentMode.TOKEN).plugin("keyed", new KeyedPlugin()).start()) {
            try (FakeAgent wrong = connect(server, "relay-1", "relay", "k-2")) {
                assertEquals("Not a relay key I issued.", wrong.awaitClosed(Duration.ofSeconds(5)).reason());
            }
            try (FakeAgent relay = connect(server, "relay-1", "relay", "k-1")) {
                com.fasterxml.jackson.databind.JsonNode registered = relay.await("registered", Duration.ofSeconds(5));
                assertEquals("approved", registered.path("status").asText(), "admitted at once although the server wants enrolment tokens");
                assertTrue(registered.path("credential").isMissingNode(), "no agent credential");
                assertEquals(200, server.api().post("/api/clients/relay-1/command", Map.of("command", "ping")).status());
                assertEquals("relay", server.api().get("/api/clients/relay-1").data().path("client_type").asText());
                // Registering again as another type on the same connection is dropped.
                relay.sendJson(Map.of("type", "register", "client_uuid", "relay-1", "client_type", "client"));
                relay.await(f -> "error".equals(f.path("type").asText()), Duration.ofSeconds(5), "a notice");
                assertEquals("relay", server.api().get("/api/clients/relay-1").data().path("client_type").asText());
            }
            // The uuid is a relay's now: as an ordinary client it is refused, whatever it presents.
            try (FakeAgent impostor = connect(server, "relay-1", "client", "k-1")) {
                assertTrue(impostor.awaitClosed(Duration.ofSeconds(5)).reason().contains("type 'relay'"));
            }
            // Ordinary agents still go through the platform's enrolment (token mode: refused without one).
            try (FakeAgent plain = connect(server, "pc-1", "client", null)) {
                assertTrue(plain.awaitClosed(Duration.ofSeconds(5)).reason().contains("enrolment token"));
            }
        }
    }

    /** A valid key of the type does not let a connection take over a known ordinary client's uuid. */
    @Test
    void aKeyOfTheTypeCannotTakeOverAnOrdinaryClient() {
        try (TestServer server = TestServer.builder().plugin("keyed", new KeyedPlugin()).start();
             FakeAgent victim = server.agent("relay-1", "Room 101", a -> a.on("ping", p -> Map.of("pong", true)))) {
            try (FakeAgent claim = connect(server, "relay-1", "relay", "k-1")) {
                String reason = claim.awaitClosed(Duration.ofSeconds(5)).reason();
                assertTrue(reason.contains("type 'client'"), reason);
            }
            assertTrue(!victim.isClosed(), "the real agent keeps its connection");
            assertEquals("client", server.api().get("/api/clients/relay-1").data().path("client_type").asText());
            assertEquals(200, server.api().post("/api/clients/relay-1/command", Map.of("command", "ping")).status());
        }
    }

    @Test
    void aSecondPluginForTheSameTypeFailsByName() {
        try (TestServer server = TestServer.builder().plugin("keyed", new KeyedPlugin()).plugin("second", new SecondPlugin()).start()) {
            String error = server.api().get("/api/plugins").data().findValues("error").stream()
                    .filter(e -> !e.isNull()).map(e -> e.asText()).findFirst().orElse("");
            assertTrue(error.contains("already authenticated by plugin 'keyed'"), error);
        }
    }
}
