package org.classtop.core.routes;

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

    record CreateBody(String name, Long expiresIn) {
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
            Duration expiresIn = null;
            if (body.expiresIn() != null) {
                if (body.expiresIn() <= 0 || body.expiresIn() > 366L * 24 * 3600) {
                    throw ApiException.badRequest("Field 'expires_in' must be a number of seconds above 0 and at most a year.");
                }
                expiresIn = Duration.ofSeconds(body.expiresIn());
            }
            AuditTrail.detail("name", body.name().trim());
            Map<String, Object> created = enrollment.createToken(body.name().trim(), expiresIn, request.caller().name());
            AuditTrail.detail("id", created.get("id"));
            return ApiResponse.created(created);
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
