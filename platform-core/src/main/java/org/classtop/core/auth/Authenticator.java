package org.classtop.core.auth;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.Caller;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.Role;
import org.classtop.core.config.ServerConfig;

/**
 * Who is calling: {@code Authorization: Bearer <token>} (the admin token of {@code CLASSTOP_ADMIN_TOKEN}
 * or a session token) or the session cookie of the web UI, which must carry the session's
 * {@code X-CSRF-Token} header on every state-changing request.
 */
@Singleton
public final class Authenticator {
    public static final String SESSION_COOKIE = "classtop_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private final ServerConfig config;
    private final SessionService sessions;

    @Inject
    public Authenticator(ServerConfig config, SessionService sessions) {
        this.config = config;
        this.sessions = sessions;
    }

    public Caller authenticate(HttpServerExchange exchange, HttpMethod method) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new ApiException(401, "UNAUTHORIZED", "Only 'Authorization: Bearer <token>' is accepted.");
            }
            return bearer(authorization.substring(7).trim());
        }
        Cookie cookie = exchange.getRequestCookie(SESSION_COOKIE);
        if (cookie != null && cookie.getValue() != null && !cookie.getValue().isBlank()) {
            Caller caller = sessions.lookup(cookie.getValue()).orElseThrow(() -> new ApiException(401, "SESSION_EXPIRED",
                    "Your session has expired or was signed out; please sign in again."));
            if (method != HttpMethod.GET && !Secrets.constantTimeEquals(
                    exchange.getRequestHeaders().getFirst(CSRF_HEADER), SessionService.csrfFor(cookie.getValue()))) {
                throw new ApiException(403, "CSRF_REJECTED",
                        "This change needs the X-CSRF-Token header of your session; reload the page and try again.");
            }
            return caller;
        }
        throw new ApiException(401, "UNAUTHORIZED", "Sign in, or send 'Authorization: Bearer <token>', to use this API.");
    }

    /** The token the request presents: its bearer token, else its session cookie; null for neither. */
    public static String presentedToken(HttpServerExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            return authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : null;
        }
        Cookie cookie = exchange.getRequestCookie(SESSION_COOKIE);
        return cookie == null ? null : cookie.getValue();
    }

    /** Whether a bearer or session token still signs someone in (the live feed re-checks its streams). */
    public boolean isValidToken(String token) {
        return config.adminTokenOpt().map(admin -> Secrets.constantTimeEquals(admin, token)).orElse(false)
                || sessions.lookup(token).isPresent();
    }

    private Caller bearer(String token) {
        if (token.isEmpty()) {
            throw new ApiException(401, "INVALID_TOKEN", "The bearer token is empty.");
        }
        if (config.adminTokenOpt().map(admin -> Secrets.constantTimeEquals(admin, token)).orElse(false)) {
            return new Caller("admin-token", Role.ADMIN);
        }
        return sessions.lookup(token).orElseThrow(() -> new ApiException(401, "INVALID_TOKEN",
                "The bearer token is not valid or has expired."));
    }
}
