package org.classtop.core.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.classtop.api.server.Caller;

/**
 * What the audit log records about the state-changing API request being handled: created by
 * {@link AuditLog#begin}, it is current on the handler's thread while the handler runs, so core code can
 * add a short detail ({@code AuditTrail.detail("command", name)}). Never add secrets: no request bodies,
 * passwords or tokens.
 */
public final class AuditTrail {
    static final int MAX_VALUE_CHARS = 200;
    static final int MAX_DETAILS = 12;
    private static final ThreadLocal<AuditTrail> CURRENT = new ThreadLocal<>();

    private final Map<String, Object> detail = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile Caller caller;
    private volatile String how;
    private volatile String actor;

    AuditTrail() {
    }

    /** Makes the trail current on this thread (null: none); {@link #clear()} in a finally block. */
    public static void set(AuditTrail trail) {
        if (trail == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(trail);
        }
    }

    public static void clear() {
        CURRENT.remove();
    }

    /**
     * Adds a short value to the current request's row (nothing outside an audited request). A key given
     * again collects its values ("a, b"), so a batch over many clients names them all, up to a limit.
     */
    public static void detail(String key, Object value) {
        AuditTrail trail = CURRENT.get();
        if (trail != null && value != null) {
            trail.add(key, value);
        }
    }

    /** The name tried at sign-in: a request without a caller is recorded under this name. */
    public static void actor(String name) {
        AuditTrail trail = CURRENT.get();
        if (trail != null && name != null) {
            trail.actor = shorten(name.trim());
        }
    }

    /** Who called and how they authenticated ({@code Authenticator.BY_SESSION}, ...). */
    public void signedIn(Caller caller, String how) {
        this.caller = caller;
        this.how = how;
    }

    void add(String key, Object value) {
        Object shown = value instanceof Number || value instanceof Boolean ? value : shorten(String.valueOf(value));
        synchronized (detail) {
            Object before = detail.get(key);
            if (before == null) {
                if (detail.size() < MAX_DETAILS) {
                    detail.put(key, shown);
                }
            } else if (!before.equals(shown)) {
                detail.put(key, shorten(before + ", " + shown));
            }
        }
    }

    Caller caller() {
        return caller;
    }

    String how() {
        return how;
    }

    String actor() {
        return actor;
    }

    Map<String, Object> details() {
        synchronized (detail) {
            return new LinkedHashMap<>(detail);
        }
    }

    static String shorten(String text) {
        return text.length() <= MAX_VALUE_CHARS ? text : text.substring(0, MAX_VALUE_CHARS - 1) + "…";
    }
}
