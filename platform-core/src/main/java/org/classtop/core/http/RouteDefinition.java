package org.classtop.core.http;

import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.RequestAuthenticator;
import org.classtop.api.server.Role;
import org.classtop.api.server.RouteHandler;

/**
 * One registered REST route.
 *
 * @param owner    the plugin id that registered it ({@code core} for the platform's own)
 * @param required      null for a public route (only the platform's login route is public)
 * @param authenticator the route's own way to recognise a machine caller, tried before the normal login; null for none
 * @param produces      the media type of an answer that is not the JSON envelope (for the OpenAPI document), or null
 */
public record RouteDefinition(String owner, HttpMethod method, RouteTemplate template, Role required,
                              String summary, String description, String requestExample, String responseExample,
                              RouteHandler handler, RequestAuthenticator authenticator, String produces) {
    /** A route that accepts only the normal login. */
    public RouteDefinition(String owner, HttpMethod method, RouteTemplate template, Role required, String summary,
                           String description, String requestExample, String responseExample, RouteHandler handler) {
        this(owner, method, template, required, summary, description, requestExample, responseExample, handler, null, null);
    }
}
