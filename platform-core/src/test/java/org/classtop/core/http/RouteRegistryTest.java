package org.classtop.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.classtop.api.Registration;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.Role;
import org.junit.jupiter.api.Test;

class RouteRegistryTest {
    private final RouteRegistry registry = new RouteRegistry();

    private Registration add(String owner, HttpMethod method, String path) {
        return registry.register(new RouteDefinition(owner, method, new RouteTemplate(path), Role.VIEWER, null, null,
                null, null, request -> path));
    }

    @Test
    void literalSegmentsBeatParametersAndParametersAreDecoded() {
        add("settings", HttpMethod.POST, "/api/settings/{uuid}");
        add("settings", HttpMethod.POST, "/api/settings/batch");
        var literal = assertInstanceOf(RouteRegistry.Found.class, registry.match(HttpMethod.POST, "/api/settings/batch"));
        assertEquals("/api/settings/batch", literal.route().template().text());
        var param = assertInstanceOf(RouteRegistry.Found.class, registry.match(HttpMethod.POST, "/api/settings/Room%20101/"));
        assertEquals("Room 101", param.params().get("uuid"));
    }

    @Test
    void unknownPathsAndWrongMethodsAreToldApart() {
        add("core", HttpMethod.GET, "/api/clients/{uuid}");
        assertInstanceOf(RouteRegistry.NotFound.class, registry.match(HttpMethod.GET, "/api/clients/a/b/c"));
        var wrong = assertInstanceOf(RouteRegistry.MethodNotAllowed.class, registry.match(HttpMethod.PUT, "/api/clients/a"));
        assertEquals(Set.of(HttpMethod.GET), wrong.allowed());
        assertInstanceOf(RouteRegistry.NotFound.class, registry.match(HttpMethod.GET, "/api/clients/"));
    }

    @Test
    void aConflictNamesThePluginThatAlreadyHasTheRoute() {
        add("settings", HttpMethod.GET, "/api/settings/{uuid}");
        IllegalStateException conflict = assertThrows(IllegalStateException.class,
                () -> add("other", HttpMethod.GET, "/api/settings/{client}"));
        assertTrue(conflict.getMessage().contains("already provided by plugin 'settings'"), conflict.getMessage());
    }

    @Test
    void closingARegistrationRemovesExactlyThatRoute() {
        Registration a = add("a", HttpMethod.GET, "/api/a");
        add("b", HttpMethod.GET, "/api/b");
        long before = registry.version();
        a.close();
        assertTrue(registry.version() > before);
        assertInstanceOf(RouteRegistry.NotFound.class, registry.match(HttpMethod.GET, "/api/a"));
        assertInstanceOf(RouteRegistry.Found.class, registry.match(HttpMethod.GET, "/api/b"));
    }

    @Test
    void badTemplatesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RouteTemplate("api/x"));
        assertThrows(IllegalArgumentException.class, () -> new RouteTemplate("/api/x{id}"));
        assertThrows(IllegalArgumentException.class, () -> new RouteTemplate("/api/{id}/{id}"));
    }
}
