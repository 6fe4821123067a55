package org.classtop.api.server;

/** Who made a request: a logged-in user, the admin token, or an API token. */
public record Caller(String name, Role role) {
}
