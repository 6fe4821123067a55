package org.classtop.core.auth;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.util.AttachmentKey;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.Caller;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.Role;
import org.classtop.core.config.ServerConfig;

/**
 * Who is calling: {@code Authorization: Bearer <token>} (the admin token of {@code CLASSTOP_ADMIN_TOKEN},
 * an API token {@code ctt_...} or a session token) or the session cookie of the web UI, which must carry
 * the session's {@code X-CSRF-Token} header on every state-changing request. How the caller signed in is
 * kept on the exchange ({@link #how(HttpServerExchange)}) for the audit log.
 */
@Singleton
public final class Authenticator {
    public static final String SESSION_COOKIE = "classtop_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String BY_SESSION = "session";
    public static final String BY_API_TOKEN = "api_token";
    public static final String BY_ADMIN_TOKEN = "admin_token";
    private static final AttachmentKey<String> HOW = AttachmentKey.create(String.class);

    private final ServerConfig config;
    private final SessionService sessions;
    private final ApiTokenService apiTokens;

    @Inject
    public Authenticator(ServerConfig config, SessionService sessions, ApiTokenService apiTokens) {
        this.config = config;
        this.sessions = sessions;
        this.apiTokens = apiTokens;
    }

    /** How the exchange's caller authenticated ({@link #BY_SESSION}, ...), or null if it did not. */
    public static String how(HttpServerExchange exchange) {
        return exchange.getAttachment(HOW);
    }

    public Caller authenticate(HttpServerExchange exchange, HttpMethod method) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new ApiException(401, "UNAUTHORIZED", "Only 'Authorization: Bearer <token>' is accepted.");
            }
            return bearer(exchange, authorization.substring(7).trim());
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
            exchange.putAttachment(HOW, BY_SESSION);
            return caller;
        }
        throw new ApiException(401, "UNAUTHORIZED", "Sign in, or send 'Authorization: Bearer <token>', to use this API.");
    }

    /**
     * Whether {@link #authenticate} decides this request from memory (no database read), so an I/O thread may
     * call it: no credential, a malformed one, the admin token, an API token, or a session already cached.
     */
    public boolean decidesInMemory(HttpServerExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return true;
            }
            String token = authorization.substring(7).trim();
            return token.isEmpty() || config.adminTokenOpt().map(admin -> Secrets.constantTimeEquals(admin, token)).orElse(false)
                    || token.startsWith(ApiTokenService.PREFIX) || sessions.isCached(token);
        }
        Cookie cookie = exchange.getRequestCookie(SESSION_COOKIE);
        return cookie == null || cookie.getValue() == null || cookie.getValue().isBlank() || sessions.isCached(cookie.getValue());
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

    /** Whether a bearer, API or session token still signs someone in (the live feed re-checks its streams). */
    public boolean isValidToken(String token) {
        if (token != null && token.startsWith(ApiTokenService.PREFIX)) {
            return apiTokens.isValid(token);
        }
        return config.adminTokenOpt().map(admin -> Secrets.constantTimeEquals(admin, token)).orElse(false)
                || sessions.lookup(token).isPresent();
    }

    private Caller bearer(HttpServerExchange exchange, String token) {
        if (token.isEmpty()) {
            throw new ApiException(401, "INVALID_TOKEN", "The bearer token is empty.");
        }
        if (config.adminTokenOpt().map(admin -> Secrets.constantTimeEquals(admin, token)).orElse(false)) {
            exchange.putAttachment(HOW, BY_ADMIN_TOKEN);
            return new Caller("admin-token", Role.ADMIN);
        }
        if (token.startsWith(ApiTokenService.PREFIX)) {
            Caller caller = apiTokens.authenticate(token);
            exchange.putAttachment(HOW, BY_API_TOKEN);
            return caller;
        }
        Caller caller = sessions.lookup(token).orElseThrow(() -> new ApiException(401, "INVALID_TOKEN",
                "The bearer token is not valid or has expired."));
        exchange.putAttachment(HOW, BY_SESSION);
        return caller;
    }
}
