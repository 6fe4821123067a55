package org.classtop.core.http;

import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.Role;
import org.classtop.api.server.RouteHandler;

/**
 * One registered REST route.
 *
 * @param owner    the plugin id that registered it ({@code core} for the platform's own)
 * @param required null for a public route (only the platform's login route is public)
 */
public record RouteDefinition(String owner, HttpMethod method, RouteTemplate template, Role required,
                              String summary, String description, String requestExample, String responseExample,
                              RouteHandler handler) {
}
