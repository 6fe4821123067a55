package org.classtop.core.auth;

import org.classtop.api.server.Caller;

/** The caller of the REST request being handled on this thread, so the command log can say who asked. */
public final class CurrentCaller {
    private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

    private CurrentCaller() {
    }

    public static void set(Caller caller) {
        CURRENT.set(caller);
    }

    public static void clear() {
        CURRENT.remove();
    }

    /** The caller's name, or null outside a REST request. */
    public static String name() {
        Caller caller = CURRENT.get();
        return caller == null ? null : caller.name();
    }
}
