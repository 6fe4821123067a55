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
import org.classtop.core.audit.AuditTrail;
import org.classtop.core.auth.AdminBootstrap;
import org.classtop.core.auth.Authenticator;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.auth.LoginRateLimiter;
import org.classtop.core.auth.GeneratedPassword;
import org.classtop.core.auth.PasswordHasher;
import org.classtop.core.http.RetryLaterException;
import org.classtop.core.auth.SessionService;
import org.classtop.core.storage.DuplicateKeyException;
import org.classtop.core.storage.UserRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sign-in, sign-out and user management. */
public final class AuthRoutes {
    private AuthRoutes() {
    }

    record LoginBody(String username, String password) {
    }

    /**
     * The one public API route. Rate-limited per address; the session token is also set as an HttpOnly cookie.
     * On the first start it waits until the generated admin is stored.
     */
    public static final class Login implements RouteHandler {
        private static final Logger LOG = LoggerFactory.getLogger(Login.class);
        private final AdminBootstrap bootstrap;
        private final UserRepository users;
        private final PasswordHasher hasher;
        private final SessionService sessions;
        private final LoginRateLimiter limiter;
        private final String cookieFlags;
        private final GeneratedPassword generated;

        @Inject
        public Login(AdminBootstrap bootstrap, UserRepository users, PasswordHasher hasher, SessionService sessions,
                     LoginRateLimiter limiter, ServerConfig config, GeneratedPassword generated) {
            this.bootstrap = bootstrap;
            this.users = users;
            this.hasher = hasher;
            this.sessions = sessions;
            this.limiter = limiter;
            this.cookieFlags = cookieFlags(config);
            this.generated = generated;
        }

        @Override
        public Object handle(ApiRequest request) {
            LoginBody body = request.body(LoginBody.class);
            AuditTrail.actor(body.username());
            if (body.username() == null || body.username().isBlank() || body.password() == null || body.password().isEmpty()) {
                throw ApiException.badRequest("Fields 'username' and 'password' are required.");
            }
            bootstrap.awaitAdmin();
            var user = users.find(body.username().trim()).filter(u -> !u.disabled()).orElse(null);
            // Unknown and disabled users cost a (dummy) check too: the answer's timing does not tell who exists.
            boolean right = limiter.attempt(request.remoteAddress(), () -> user == null
                    ? hasher.matchesNoUser(body.password()) : hasher.matches(body.password(), user.passwordHash()));
            if (!right) {
                throw new ApiException(401, "INVALID_CREDENTIALS", "The user name or password is wrong.");
            }
            rehashIfOutdated(user, body.password());
            SessionService.NewSession session = sessions.create(user.username(), Role.valueOf(user.role().toUpperCase(Locale.ROOT)));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("token", session.token());
            data.put("csrf_token", session.csrfToken());
            data.put("username", user.username());
            data.put("role", user.role());
            data.put("expires_at", session.expiresAt());
            if (generated.inUseBy(user.username())) {
                data.put("password_generated", true); // the UI asks for a password of one's own
            }
            long maxAge = session.expiresAt().getEpochSecond() - Instant.now().getEpochSecond();
            return ApiResponse.json(200, data).withHeaders(Map.of("Set-Cookie", Authenticator.SESSION_COOKIE + "="
                    + session.token() + "; Path=/; Max-Age=" + maxAge + cookieFlags));
        }

        /**
         * A hash made with older costs (see {@link PasswordHasher}) is made again now that the password is known, and
         * stored unless the password changed meanwhile. Best effort: when every hashing turn is taken or the write
         * fails, the next sign-in tries again.
         */
        private void rehashIfOutdated(UserRepository.User user, String password) {
            if (hasher.isCurrent(user.passwordHash())) {
                return;
            }
            try {
                users.replacePasswordHash(user.username(), user.passwordHash(), hasher.hash(password))
                        .whenComplete((replaced, failure) -> {
                            if (failure != null) {
                                LOG.warn("Storing {}'s password hash with today's costs failed: {}", user.username(),
                                        failure.toString());
                            }
                        });
            } catch (RetryLaterException busy) {
                // every hashing turn is taken: the next sign-in does it
            }
        }
    }

    static final class Logout implements RouteHandler {
        private final SessionService sessions;
        private final String cookieFlags;

        @Inject
        Logout(SessionService sessions, ServerConfig config) {
            this.sessions = sessions;
            this.cookieFlags = cookieFlags(config);
        }

        @Override
        public Object handle(ApiRequest request) {
            String token = sessionToken(request);
            if (token != null && token.startsWith("cts_")) {
                sessions.revoke(token);
            }
            return ApiResponse.json(200, Map.of("signed_out", true)).withHeaders(Map.of("Set-Cookie",
                    Authenticator.SESSION_COOKIE + "=; Path=/; Max-Age=0" + cookieFlags));
        }
    }

    /** With TLS the session cookie is {@code Secure}: a browser never sends it over plain HTTP. */
    static String cookieFlags(ServerConfig config) {
        return "; HttpOnly; SameSite=Strict" + (config.tls().enabled() ? "; Secure" : "");
    }

    /** The session token of the request: its bearer token or its session cookie; null for neither. */
    static String sessionToken(ApiRequest request) {
        return request.header("Authorization").filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim()).orElseGet(() -> request.header("Cookie").map(AuthRoutes::sessionCookie).orElse(null));
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

    /** Who is signed in; for the web UI's cookie session also the CSRF token its changes must send. */
    static final class Me implements RouteHandler {
        private final GeneratedPassword generated;

        @Inject
        Me(GeneratedPassword generated) {
            this.generated = generated;
        }

        @Override
        public Object handle(ApiRequest request) {
            Map<String, Object> me = new LinkedHashMap<>();
            me.put("username", request.caller().name());
            me.put("role", request.caller().role().name().toLowerCase(Locale.ROOT));
            if (generated.inUseBy(request.caller().name())) {
                me.put("password_generated", true);
            }
            boolean bearer = request.header("Authorization").isPresent();
            String cookie = request.header("Cookie").map(AuthRoutes::sessionCookie).orElse(null);
            if (!bearer && cookie != null) {
                me.put("csrf_token", SessionService.csrfFor(cookie));
            }
            return me;
        }
    }

    record PasswordChange(String current_password, String new_password) {
    }

    /** Changes one's own password; the user's other sessions end, this one stays. */
    static final class ChangeOwnPassword implements RouteHandler {
        private final UserRepository users;
        private final PasswordHasher hasher;
        private final SessionService sessions;
        private final LoginRateLimiter limiter;
        private final GeneratedPassword generated;

        @Inject
        ChangeOwnPassword(UserRepository users, PasswordHasher hasher, SessionService sessions, LoginRateLimiter limiter,
                          GeneratedPassword generated) {
            this.users = users;
            this.hasher = hasher;
            this.sessions = sessions;
            this.limiter = limiter;
            this.generated = generated;
        }

        @Override
        public Object handle(ApiRequest request) {
            PasswordChange body = request.body(PasswordChange.class);
            if (body.current_password() == null || body.new_password() == null) {
                throw ApiException.badRequest("Fields 'current_password' and 'new_password' are required.");
            }
            checkPassword(body.new_password(), "new_password");
            var user = users.find(request.caller().name()).orElseThrow(() -> ApiException.conflict("NOT_A_USER",
                    "You are signed in with a token (the admin token or an API token), which has no password to change."));
            if (!limiter.attempt(request.remoteAddress(), () -> hasher.matches(body.current_password(), user.passwordHash()))) {
                throw ApiException.badRequest("The current password is wrong.");
            }
            users.updatePassword(user.username(), hasher.hash(body.new_password())).toCompletableFuture().join();
            generated.changedBy(user.username());
            sessions.endSessionsOf(user.username(), sessionToken(request));
            return Map.of("username", user.username(), "password_changed", true);
        }
    }

    static void checkPassword(String password, String field) {
        if (password == null || password.length() < 10 || password.length() > 200) {
            throw ApiException.badRequest("Field '" + field + "' must be 10 to 200 characters long.");
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
            checkPassword(body.password(), "password");
            String role = body.role() == null ? UserRepository.VIEWER : role(body.role());
            AuditTrail.detail("username", body.username());
            AuditTrail.detail("role", role);
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

    private static String role(String value) {
        String role = value.toLowerCase(Locale.ROOT);
        if (!role.equals(UserRepository.ADMIN) && !role.equals(UserRepository.VIEWER)) {
            throw ApiException.badRequest("Field 'role' must be 'admin' or 'viewer'.");
        }
        return role;
    }

    /** Waits for a user change; the last enabled admin's refusal (checked in the writer) becomes 409 LAST_ADMIN. */
    private static boolean joinUserChange(java.util.concurrent.CompletionStage<Boolean> change) {
        try {
            return change.toCompletableFuture().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof UserRepository.LastAdminException lastAdmin) {
                throw ApiException.conflict("LAST_ADMIN", lastAdmin.getMessage());
            }
            throw e;
        }
    }

    record UserChange(String role, String password, Boolean disabled) {
    }

    /** Changes a user's role, password or disabled flag; their sessions end so the change applies at once. */
    static final class UpdateUser implements RouteHandler {
        private final UserRepository users;
        private final PasswordHasher hasher;
        private final SessionService sessions;

        @Inject
        UpdateUser(UserRepository users, PasswordHasher hasher, SessionService sessions) {
            this.users = users;
            this.hasher = hasher;
            this.sessions = sessions;
        }

        @Override
        public Object handle(ApiRequest request) {
            String username = request.pathParam("username");
            UserChange body = request.body(UserChange.class);
            if (body.role() == null && body.password() == null && body.disabled() == null) {
                throw ApiException.badRequest("Send at least one of 'role', 'password' and 'disabled'.");
            }
            String role = body.role() == null ? null : role(body.role());
            if (body.password() != null) {
                checkPassword(body.password(), "password");
            }
            boolean losesAdmin = (role != null && !role.equals(UserRepository.ADMIN)) || Boolean.TRUE.equals(body.disabled());
            if (losesAdmin && username.equals(request.caller().name())) {
                throw ApiException.conflict("CANNOT_CHANGE_SELF", "You cannot demote or disable the user you are signed in as.");
            }
            AuditTrail.detail("role", role);
            AuditTrail.detail("password_changed", body.password() == null ? null : true);
            AuditTrail.detail("disabled", body.disabled());
            String passwordHash = body.password() == null ? null : hasher.hash(body.password());
            if (!joinUserChange(users.update(username, role, passwordHash, body.disabled()))) {
                throw ApiException.notFound("USER_NOT_FOUND", "No user named '" + username + "' exists.");
            }
            sessions.endSessionsOf(username, username.equals(request.caller().name()) ? sessionToken(request) : null);
            return view(users.find(username).orElseThrow());
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
            boolean deleted = joinUserChange(users.delete(username));
            if (!deleted) {
                throw ApiException.notFound("USER_NOT_FOUND", "No user named '" + username + "' exists.");
            }
            sessions.forgetUser(username);
            return Map.of("username", username, "deleted", true);
        }
    }
}
