package org.classtop.core.routes;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.ApiResponse;
import org.classtop.api.server.RouteHandler;
import org.classtop.core.audit.AuditTrail;
import org.classtop.core.clients.EnrollmentService;

/** Enrolment tokens (SPEC section 3): the clear token is shown once, in the creation answer. */
final class EnrollmentRoutes {
    private EnrollmentRoutes() {
    }

    /** How long a token lasts when the request does not say. */
    static final Duration DEFAULT_LIFETIME = Duration.ofDays(7);
    static final Duration MAX_LIFETIME = Duration.ofDays(365);

    /** {@code expires_in} stays a JSON node so that "", "3600", 1.5 and null are told apart from a number. */
    record CreateBody(String name, JsonNode expiresIn) {
    }

    static final class Create implements RouteHandler {
        private final EnrollmentService enrollment;

        @Inject
        Create(EnrollmentService enrollment) {
            this.enrollment = enrollment;
        }

        @Override
        public Object handle(ApiRequest request) {
            CreateBody body = request.body(CreateBody.class);
            if (body.name() == null || body.name().isBlank() || body.name().length() > 128) {
                throw ApiException.badRequest("Field 'name' is required: 1 to 128 characters that say what the token is for.");
            }
            AuditTrail.detail("name", body.name().trim());
            Map<String, Object> created = enrollment.createToken(body.name().trim(), lifetime(body.expiresIn()),
                    request.caller().name());
            AuditTrail.detail("id", created.get("id"));
            return ApiResponse.created(created);
        }

        /** Whole seconds from 1 to a year; absent (or null): {@link #DEFAULT_LIFETIME}. A token never lives forever. */
        static Duration lifetime(JsonNode expiresIn) {
            if (expiresIn == null || expiresIn.isNull()) {
                return DEFAULT_LIFETIME;
            }
            if (!expiresIn.isIntegralNumber() || !expiresIn.canConvertToLong() || expiresIn.longValue() <= 0
                    || expiresIn.longValue() > MAX_LIFETIME.toSeconds()) {
                throw ApiException.badRequest("Field 'expires_in' must be a whole number of seconds from 1 to "
                        + MAX_LIFETIME.toSeconds() + " (a year); without it the token lasts 7 days.");
            }
            return Duration.ofSeconds(expiresIn.longValue());
        }
    }

    static final class ListTokens implements RouteHandler {
        private final EnrollmentService enrollment;

        @Inject
        ListTokens(EnrollmentService enrollment) {
            this.enrollment = enrollment;
        }

        @Override
        public Object handle(ApiRequest request) {
            return enrollment.listTokens();
        }
    }

    static final class Revoke implements RouteHandler {
        private final EnrollmentService enrollment;

        @Inject
        Revoke(EnrollmentService enrollment) {
            this.enrollment = enrollment;
        }

        @Override
        public Object handle(ApiRequest request) {
            String raw = request.pathParam("id");
            long id;
            try {
                id = Long.parseLong(raw);
            } catch (NumberFormatException e) {
                throw ApiException.notFound("TOKEN_NOT_FOUND", "No enrolment token with id '" + raw + "' exists.");
            }
            enrollment.revokeToken(id);
            return java.util.Map.of("id", id, "revoked", true);
        }
    }
}
