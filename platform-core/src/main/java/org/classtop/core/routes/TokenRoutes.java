package org.classtop.core.routes;

import jakarta.inject.Inject;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.ApiResponse;
import org.classtop.api.server.Role;
import org.classtop.api.server.RouteHandler;
import org.classtop.core.audit.AuditTrail;
import org.classtop.core.auth.ApiTokenService;
import org.classtop.core.live.LiveFeed;

/** API tokens (SPEC section 8): created (the token shown once), listed without secrets, revoked. Admins only. */
final class TokenRoutes {
    private TokenRoutes() {
    }

    static final class Create implements RouteHandler {
        private final ApiTokenService tokens;

        @Inject
        Create(ApiTokenService tokens) {
            this.tokens = tokens;
        }

        @Override
        public Object handle(ApiRequest request) {
            Map<String, Object> body = request.bodyAsMap();
            String name = name(body.get("name"));
            Role role = role(body.get("role"));
            Duration expiresIn = expiresIn(body.get("expires_in"));
            AuditTrail.detail("name", name);
            AuditTrail.detail("role", role.name().toLowerCase(Locale.ROOT));
            Map<String, Object> created = tokens.create(name, role, expiresIn, request.caller().name());
            AuditTrail.detail("id", created.get("id"));
            return ApiResponse.created(created);
        }

        private static String name(Object value) {
            if (!(value instanceof String text) || text.isBlank() || text.trim().length() > 128) {
                throw ApiException.badRequest("Field 'name' is required: 1 to 128 characters that say what the token is for.");
            }
            return text.trim();
        }

        private static Role role(Object value) {
            if (value instanceof String text) {
                switch (text.toLowerCase(Locale.ROOT)) {
                    case "admin":
                        return Role.ADMIN;
                    case "viewer":
                        return Role.VIEWER;
                    default:
                        break;
                }
            }
            throw ApiException.badRequest("Field 'role' is required: 'admin' (may change everything) or 'viewer' (may only look).");
        }

        /** Absent or null: no expiry. Otherwise a whole number of seconds, above 0 and at most 5 years. */
        private static Duration expiresIn(Object value) {
            if (value == null) {
                return null;
            }
            boolean whole = value instanceof Integer || value instanceof Long || value instanceof BigInteger;
            long max = ApiTokenService.MAX_LIFETIME.toSeconds();
            if (!whole || ((Number) value).doubleValue() <= 0 || ((Number) value).doubleValue() > max) {
                throw ApiException.badRequest("Field 'expires_in' must be a whole number of seconds above 0 and at most "
                        + max + " (5 years), or left out for a token that never expires.");
            }
            return Duration.ofSeconds(((Number) value).longValue());
        }
    }

    static final class ListTokens implements RouteHandler {
        private final ApiTokenService tokens;

        @Inject
        ListTokens(ApiTokenService tokens) {
            this.tokens = tokens;
        }

        @Override
        public Object handle(ApiRequest request) {
            return tokens.list();
        }
    }

    static final class Revoke implements RouteHandler {
        private final ApiTokenService tokens;
        private final LiveFeed live;

        @Inject
        Revoke(ApiTokenService tokens, LiveFeed live) {
            this.tokens = tokens;
            this.live = live;
        }

        @Override
        public Object handle(ApiRequest request) {
            String raw = request.pathParam("id");
            long id;
            try {
                id = Long.parseLong(raw);
            } catch (NumberFormatException e) {
                throw ApiException.notFound("TOKEN_NOT_FOUND", "No API token with id '" + raw + "' exists.");
            }
            Map<String, Object> revoked = tokens.revoke(id);
            AuditTrail.detail("name", revoked.get("name"));
            live.closeSignedOutStreams(); // a feed opened with the token ends now, not at the next ping
            return revoked;
        }
    }
}
