package org.classtop.core.routes;

import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.ApiResponse;
import org.classtop.api.server.Role;
import org.classtop.api.server.RouteHandler;
import org.classtop.core.auth.Authenticator;
import org.classtop.core.auth.LoginRateLimiter;
import org.classtop.core.auth.PasswordHasher;
import org.classtop.core.auth.SessionService;
import org.classtop.core.storage.DuplicateKeyException;
import org.classtop.core.storage.UserRepository;

/** Sign-in, sign-out and user management. */
public final class AuthRoutes {
    private AuthRoutes() {
    }

    record LoginBody(String username, String password) {
    }

    /** The one public API route. Rate-limited per address; the session token is also set as an HttpOnly cookie. */
    public static final class Login implements RouteHandler {
        private final UserRepository users;
        private final PasswordHasher hasher;
        private final SessionService sessions;
        private final LoginRateLimiter limiter;

        @Inject
        public Login(UserRepository users, PasswordHasher hasher, SessionService sessions, LoginRateLimiter limiter) {
            this.users = users;
            this.hasher = hasher;
            this.sessions = sessions;
            this.limiter = limiter;
        }

        @Override
        public Object handle(ApiRequest request) {
            String address = request.remoteAddress();
            long wait = limiter.retryAfterSeconds(address);
            if (wait > 0) {
                throw new ApiException(429, "TOO_MANY_ATTEMPTS", "Too many failed sign-ins; try again in " + wait + " s.");
            }
            LoginBody body = request.body(LoginBody.class);
            if (body.username() == null || body.username().isBlank() || body.password() == null || body.password().isEmpty()) {
                throw ApiException.badRequest("Fields 'username' and 'password' are required.");
            }
            var user = users.find(body.username().trim()).filter(u -> !u.disabled()).orElse(null);
            if (user == null || !hasher.matches(body.password(), user.passwordHash())) {
                limiter.failed(address);
                throw new ApiException(401, "INVALID_CREDENTIALS", "The user name or password is wrong.");
            }
            limiter.succeeded(address);
            SessionService.NewSession session = sessions.create(user.username(), Role.valueOf(user.role().toUpperCase(Locale.ROOT)));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("token", session.token());
            data.put("csrf_token", session.csrfToken());
            data.put("username", user.username());
            data.put("role", user.role());
            data.put("expires_at", session.expiresAt());
            long maxAge = session.expiresAt().getEpochSecond() - Instant.now().getEpochSecond();
            return ApiResponse.json(200, data).withHeaders(Map.of("Set-Cookie", Authenticator.SESSION_COOKIE + "="
                    + session.token() + "; Path=/; Max-Age=" + maxAge + "; HttpOnly; SameSite=Strict"));
        }
    }

    static final class Logout implements RouteHandler {
        private final SessionService sessions;

        @Inject
        Logout(SessionService sessions) {
            this.sessions = sessions;
        }

        @Override
        public Object handle(ApiRequest request) {
            String token = request.header("Authorization").filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                    .map(h -> h.substring(7).trim()).orElseGet(() -> request.header("Cookie").map(AuthRoutes::sessionCookie).orElse(null));
            if (token != null && token.startsWith("cts_")) {
                sessions.revoke(token);
            }
            return ApiResponse.json(200, Map.of("signed_out", true)).withHeaders(Map.of("Set-Cookie",
                    Authenticator.SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"));
        }
    }

    private static String sessionCookie(String header) {
        for (String part : header.split(";")) {
            String trimmed = part.trim();
            if (trimmed.startsWith(Authenticator.SESSION_COOKIE + "=")) {
                return trimmed.substring(Authenticator.SESSION_COOKIE.length() + 1);
            }
        }
        return null;
    }

    static final class Me implements RouteHandler {
        @Override
        public Object handle(ApiRequest request) {
            return Map.of("username", request.caller().name(), "role", request.caller().role().name().toLowerCase(Locale.ROOT));
        }
    }

    static Map<String, Object> view(UserRepository.User user) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("username", user.username());
        view.put("role", user.role());
        view.put("created_at", user.createdAt());
        view.put("disabled", user.disabled());
        return view;
    }

    static final class ListUsers implements RouteHandler {
        private final UserRepository users;

        @Inject
        ListUsers(UserRepository users) {
            this.users = users;
        }

        @Override
        public Object handle(ApiRequest request) {
            return users.list().stream().map(AuthRoutes::view).toList();
        }
    }

    record NewUser(String username, String password, String role) {
    }

    static final class CreateUser implements RouteHandler {
        private final UserRepository users;
        private final PasswordHasher hasher;

        @Inject
        CreateUser(UserRepository users, PasswordHasher hasher) {
            this.users = users;
            this.hasher = hasher;
        }

        @Override
        public Object handle(ApiRequest request) {
            NewUser body = request.body(NewUser.class);
            if (body.username() == null || !body.username().matches("[A-Za-z0-9._@-]{1,64}")) {
                throw ApiException.badRequest("Field 'username' must be 1 to 64 letters, digits or . _ @ -.");
            }
            if (body.password() == null || body.password().length() < 10 || body.password().length() > 200) {
                throw ApiException.badRequest("Field 'password' must be 10 to 200 characters long.");
            }
            String role = body.role() == null ? "viewer" : body.role().toLowerCase(Locale.ROOT);
            if (!role.equals("admin") && !role.equals("viewer")) {
                throw ApiException.badRequest("Field 'role' must be 'admin' or 'viewer'.");
            }
            try {
                return ApiResponse.created(view(users.create(body.username(), hasher.hash(body.password()), role)
                        .toCompletableFuture().join()));
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof DuplicateKeyException) {
                    throw ApiException.conflict("USER_EXISTS", "A user named '" + body.username() + "' already exists.");
                }
                throw e;
            }
        }
    }

    static final class DeleteUser implements RouteHandler {
        private final UserRepository users;
        private final SessionService sessions;

        @Inject
        DeleteUser(UserRepository users, SessionService sessions) {
            this.users = users;
            this.sessions = sessions;
        }

        @Override
        public Object handle(ApiRequest request) {
            String username = request.pathParam("username");
            if (username.equals(request.caller().name())) {
                throw ApiException.conflict("CANNOT_DELETE_SELF", "You cannot delete the user you are signed in as.");
            }
            boolean deleted = users.delete(username).toCompletableFuture().join();
            if (!deleted) {
                throw ApiException.notFound("USER_NOT_FOUND", "No user named '" + username + "' exists.");
            }
            sessions.forgetUser(username);
            return Map.of("username", username, "deleted", true);
        }
    }
}
