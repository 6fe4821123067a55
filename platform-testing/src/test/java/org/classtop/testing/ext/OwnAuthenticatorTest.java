package org.classtop.testing.ext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.Caller;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.RequestAuthenticator;
import org.classtop.api.server.Role;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerPlugin;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.ClassTopServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A route with its own authenticator (a machine's API key) next to the normal login; off for every other route. */
class OwnAuthenticatorTest {
    static final String KEY = "lms-key-0123456789";

    public static final class ManagementPlugin extends ServerPlugin {
        @Override
        protected void configure() {
            route(HttpMethod.POST, "/api/mgmt/heartbeat").authenticatedBy(LmsKeys.class).requires(Role.ADMIN)
                    .to(WhoCalls.class);
            route(HttpMethod.GET, "/api/mgmt/report").authenticatedBy(LmsKeys.class).to(WhoCalls.class);
            route(HttpMethod.GET, "/api/mgmt/normal").to(WhoCalls.class);
        }
    }

    /** Accepts {@code X-LMS-Key}; a wrong key is refused outright. */
    public static final class LmsKeys implements RequestAuthenticator {
        @Override
        public Optional<Caller> authenticate(ApiRequest request) {
            if (request.hasBody() && request.bodyAsMap().containsKey("signed_key")) { // a key inside the body
                return Optional.of(new Caller("lms:signed", Role.ADMIN));
            }
            return request.header("X-LMS-Key").map(key -> {
                if (!key.equals(KEY)) {
                    throw new ApiException(401, "INVALID_LMS_KEY", "The LMS key is not known here.");
                }
                return new Caller("lms:school-1", Role.ADMIN);
            });
        }
    }

    public static final class WhoCalls implements RouteHandler {
        @Override
        public Object handle(ApiRequest request) {
            return Map.of("caller", request.caller().name(), "body", request.hasBody() ? request.bodyAsMap() : Map.of());
        }
    }

    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension(b -> b.plugin("mgmt", new ManagementPlugin()));

    private static ApiClient withKey(String key) {
        return SERVER.get().api().anonymous().withHeader("X-LMS-Key", key);
    }

    @Test
    void theRoutesOwnKeyLetsAMachineIn() {
        ApiResult answer = withKey(KEY).post("/api/mgmt/heartbeat", Map.of());
        assertEquals(200, answer.status(), answer.toString());
        assertEquals("lms:school-1", answer.data().path("caller").asText());
        assertEquals("lms:school-1", withKey(KEY).get("/api/mgmt/report").data().path("caller").asText());
    }

    @Test
    void theAuditLogSaysHowTheMachineSignedIn() {
        withKey(KEY).post("/api/mgmt/heartbeat", Map.of());
        org.classtop.testing.Poll.until("the audit row", java.time.Duration.ofSeconds(10), () -> {
            String audit = SERVER.get().api().get("/api/audit").text();
            return audit.contains("lms:school-1") && audit.contains("route_authenticator");
        });
    }

    @Test
    void anAuthenticatorAndTheHandlerBothReadTheBody() {
        ApiResult answer = SERVER.get().api().anonymous().post("/api/mgmt/heartbeat", Map.of("signed_key", "k", "load", 3));
        assertEquals(200, answer.status(), answer.toString());
        assertEquals("lms:signed", answer.data().path("caller").asText());
        assertEquals(3, answer.data().path("body").path("load").asInt(), "the handler still reads the body");
    }

    @Test
    void theNormalLoginStillWorksOnThatRoute() {
        assertEquals("admin-token", SERVER.get().api().post("/api/mgmt/heartbeat", Map.of()).data().path("caller").asText());
    }

    @Test
    void aWrongKeyIsRefusedByTheAuthenticator() {
        ApiResult refused = withKey("guess").post("/api/mgmt/heartbeat", Map.of());
        assertEquals(401, refused.status());
        assertEquals("INVALID_LMS_KEY", refused.code());
    }

    @Test
    void neitherKeyNorLoginIs401WithASentence() {
        ApiResult refused = SERVER.get().api().anonymous().post("/api/mgmt/heartbeat", Map.of());
        assertEquals(401, refused.status());
        assertEquals("UNAUTHORIZED", refused.code());
        assertTrue(refused.error().contains("its own credential"), refused.error());
        ApiResult badToken = SERVER.get().api().anonymous().withHeader("Authorization", "Bearer nope").get("/api/mgmt/report");
        assertEquals(401, badToken.status());
    }

    @Test
    void aRouteWithoutItsOwnAuthenticatorIgnoresTheKey() {
        ApiResult refused = withKey(KEY).get("/api/mgmt/normal");
        assertEquals(401, refused.status());
        assertEquals(401, withKey(KEY).get("/api/clients/").status(), "core routes accept only the normal login");
        assertEquals(200, SERVER.get().api().get("/api/mgmt/normal").status());
    }
}
