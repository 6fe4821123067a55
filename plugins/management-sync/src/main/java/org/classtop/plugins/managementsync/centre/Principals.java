package org.classtop.plugins.managementsync.centre;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.Caller;
import org.classtop.api.server.Database;
import org.classtop.api.server.RequestAuthenticator;
import org.classtop.api.server.Role;

/**
 * Who calls a machine route of the centre: an LMS by its API key ({@code ctl_}), a client by its client key
 * ({@code ctk_}), a holder of one of the core's enrolment tokens ({@code cte_}), anyone in {@code open}
 * enrolment, or else a person (admin token, API token, session) through the platform's normal login.
 */
@Singleton
public final class Principals {
    enum Kind { LMS, CLIENT, ENROLMENT, OPEN, USER }

    record Principal(Kind kind, Sites.Site site, Sites.Client client, String name) {
    }

    private final Sites sites;
    private final CentreSettings settings;
    private final Database database;

    @Inject
    Principals(Sites sites, CentreSettings settings, Database database) {
        this.sites = sites;
        this.settings = settings;
        this.database = database;
    }

    /**
     * The principal a request's own key names; null when it carries none of the centre's keys (then the
     * platform's login decides and the handler sees a {@link Kind#USER}).
     *
     * @throws ApiException 401 for a key of the centre's kinds that is not (or no longer) valid
     */
    Principal resolve(ApiRequest request) {
        String bearer = Keys.bearer(request.header("Authorization").orElse(null));
        if (bearer == null) {
            return settings.openEnrolment() ? new Principal(Kind.OPEN, null, null, "open-enrolment") : null;
        }
        if (bearer.startsWith(Keys.LMS_PREFIX)) {
            Sites.Site site = sites.siteByKey(bearer).orElseThrow(() -> new ApiException(401, "INVALID_API_KEY",
                    "This LMS API key is not valid here: it is unknown or was replaced by a newer one."));
            return new Principal(Kind.LMS, site, null, "lms:" + site.name);
        }
        if (bearer.startsWith(Keys.CLIENT_PREFIX)) {
            Sites.Client client = sites.clientByKey(bearer).orElseThrow(() -> new ApiException(401, "INVALID_API_KEY",
                    "This client key is not valid here: it is unknown or was replaced by a newer one."));
            return new Principal(Kind.CLIENT, null, client, "client:" + client.uuid);
        }
        if (bearer.startsWith(Keys.ENROLMENT_PREFIX)) {
            if (!validEnrolmentToken(bearer)) {
                throw new ApiException(401, "INVALID_ENROLMENT_TOKEN", "The enrolment token is not valid, has expired or was revoked.");
            }
            return new Principal(Kind.ENROLMENT, null, null, "enrolment-token");
        }
        return null;
    }

    /** The principal of a request that passed its route's authentication. */
    Principal of(ApiRequest request) {
        Principal p = resolve(request);
        return p != null ? p : new Principal(Kind.USER, null, null, request.caller().name());
    }

    /** Reads the core's enrolment tokens (SHA-256 hashed, like ours); nothing is written to them. */
    private boolean validEnrolmentToken(String token) {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT 1 FROM enrollment_tokens WHERE token_hash = ? AND revoked = 0"
                     + " AND (expires_at IS NULL OR expires_at > ?)")) {
            s.setString(1, Keys.sha256Hex(token));
            s.setLong(2, System.currentTimeMillis());
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        } catch (SQLException e) {
            throw new ApiException(503, "DATABASE_UNAVAILABLE", "The enrolment token could not be checked; try again.");
        }
    }

    /**
     * The route authenticator of the machine routes: a valid key of the centre's makes the caller (named
     * {@code lms:<name>}, {@code client:<uuid>}, ...), which passes the route; each handler then checks what
     * that principal may do (heartbeats only with an LMS key, and so on).
     */
    public static final class MachineKeys implements RequestAuthenticator {
        private final Principals principals;

        @Inject
        MachineKeys(Principals principals) {
            this.principals = principals;
        }

        @Override
        public Optional<Caller> authenticate(ApiRequest request) {
            Principal p = principals.resolve(request);
            return p == null ? Optional.empty() : Optional.of(new Caller(p.name(), Role.ADMIN));
        }
    }
}
