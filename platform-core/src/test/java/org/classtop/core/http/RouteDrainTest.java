package org.classtop.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.Role;
import org.junit.jupiter.api.Test;

/** In-flight counting per plugin: drain refuses new requests, waits for the running ones, and gives up on time. */
class RouteDrainTest {
    private static RouteDefinition route(String owner) {
        return new RouteDefinition(owner, HttpMethod.GET, new RouteTemplate("/api/" + owner), Role.VIEWER, null, null,
                null, null, request -> "ok");
    }

    @Test
    void drainGivesUpAfterItsTimeWhileARequestStaysInFlight() {
        RouteRegistry registry = new RouteRegistry();
        RouteDefinition slow = route("slow");
        RouteRegistry.Admission stuck = registry.admit(slow);
        registry.admit(route("other")).close();

        long began = System.nanoTime();
        assertFalse(registry.drain("slow", Duration.ofMillis(200)), "one request is still in flight");
        assertTrue(System.nanoTime() - began >= Duration.ofMillis(200).toNanos());
        RetryLaterException refused = assertThrows(RetryLaterException.class, () -> registry.admit(slow));
        assertEquals(503, refused.status());
        assertEquals("Plugin 'slow' is stopping; try again in a moment.", refused.getMessage());
        registry.admit(route("other")).close(); // other plugins are not affected

        stuck.close();
        stuck.close(); // counted once
        assertEquals(0, registry.inFlight("slow"));
        assertTrue(registry.drain("slow", Duration.ofMillis(1)));
        registry.resume("slow");
        registry.admit(slow).close();
    }

    @Test
    void registeringThePluginsRoutesAgainLetsRequestsIn() {
        RouteRegistry registry = new RouteRegistry();
        RouteDefinition route = route("back");
        assertTrue(registry.drain("back", Duration.ofMillis(1)));
        assertThrows(RetryLaterException.class, () -> registry.admit(route));
        registry.register(route);
        registry.admit(route).close();
    }
}
