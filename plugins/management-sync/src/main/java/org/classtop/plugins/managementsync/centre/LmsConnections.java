package org.classtop.plugins.managementsync.centre;

import jakarta.inject.Inject;
import org.classtop.api.server.AgentAuthenticator;

/**
 * Admits an LMS's WebSocket ({@code client_type:"lms"} on the centre's {@code /ws}) by its API key, from
 * memory (this runs on an I/O thread). On an LMS server every such connection is refused.
 */
public final class LmsConnections implements AgentAuthenticator {
    private final Sites sites;
    private final CentreSettings settings;

    @Inject
    LmsConnections(Sites sites, CentreSettings settings) {
        this.sites = sites;
        this.settings = settings;
    }

    @Override
    public Verdict authenticate(String clientUuid, String token, String address) {
        if (!settings.isCentre()) {
            return Verdict.refuse("This server is an LMS, not a management server: it takes no LMS connections.");
        }
        Sites.Site site = sites.siteByUuid(clientUuid).orElse(null);
        if (site == null) {
            return Verdict.refuse("No LMS with this uuid is registered here; register it first (POST /api/lms/register).");
        }
        if (token == null || token.isBlank()) {
            return Verdict.refuse("An LMS connection must present its API key (token).");
        }
        if (!Keys.sameHash(Keys.sha256Hex(token), site.keyHash)) {
            return Verdict.refuse("The API key is not valid for this LMS (unknown, another LMS's, or replaced by a newer one).");
        }
        return Verdict.admit();
    }
}
