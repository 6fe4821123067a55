package org.classtop.api.server;

/** Declares one REST route; finish with {@link #to(Class)}. */
public interface RouteBuilder {
    /** One line for the OpenAPI document and the plugins page. */
    RouteBuilder summary(String summary);

    RouteBuilder description(String description);

    /** The least role that may call it. Default: {@code VIEWER} for GET, {@code ADMIN} otherwise. */
    RouteBuilder requires(Role role);

    /** An example request body (JSON text) shown in the OpenAPI document. */
    RouteBuilder requestExample(String json);

    /** An example of the {@code data} of a successful answer (JSON text). */
    RouteBuilder responseExample(String json);

    /**
     * The media type of an answer that is not the JSON envelope (a {@link StreamResponse}, a
     * {@link FileResponse}, an image), e.g. {@code multipart/x-mixed-replace} or {@code video/mp4}: shown
     * in the OpenAPI document.
     */
    RouteBuilder produces(String mediaType);

    /**
     * Lets callers in with a credential of the route's own (a machine's API key) as well as the normal
     * login. Off unless named: every other route accepts only the normal login. A caller with neither
     * gets 401.
     */
    RouteBuilder authenticatedBy(Class<? extends RequestAuthenticator> authenticator);

    /** The handler class, created once through the plugin's injector. */
    void to(Class<? extends RouteHandler> handler);
}
