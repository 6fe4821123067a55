package org.classtop.api.server;

/** What a caller may do. {@code ADMIN} may do everything; {@code VIEWER} may only look. */
public enum Role {
    VIEWER, ADMIN;

    public boolean allows(Role required) {
        return this.ordinal() >= required.ordinal();
    }
}
