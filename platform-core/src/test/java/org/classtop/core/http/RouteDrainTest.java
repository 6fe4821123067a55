package org.classtop.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
    void aDrainedPluginAnswers503UntilResumedEvenWhileItsRoutesAreReplacedThen404ForRoutesGone() {
        RouteRegistry registry = new RouteRegistry();
        RouteDefinition route = route("back");
        RouteDefinition gone = new RouteDefinition("back", HttpMethod.GET, new RouteTemplate("/api/back/old"), Role.VIEWER,
                null, null, null, null, request -> "ok");
        org.classtop.api.Registration old = registry.register(route);
        org.classtop.api.Registration oldGone = registry.register(gone);
        assertTrue(registry.drain(java.util.List.of("back"), Duration.ofMillis(1)));
        old.close();
        oldGone.close();
        // between the old routes' removal and the new ones' registration: still found, and 503, never 404
        RouteRegistry.Found between = assertInstanceOf(RouteRegistry.Found.class, registry.match(HttpMethod.GET, "/api/back"));
        assertThrows(RetryLaterException.class, () -> registry.admit(between.route()));
        registry.register(route);
        assertThrows(RetryLaterException.class, () -> registry.admit(route), "503 until the change is done");
        registry.resume("back");
        registry.admit(route).close();
        assertInstanceOf(RouteRegistry.NotFound.class, registry.match(HttpMethod.GET, "/api/back/old"));
    }
}
