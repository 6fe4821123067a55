package org.classtop.plugins.managementsync.site;

import jakarta.inject.Inject;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;

/** {@code GET /api/management-sync/status}: this LMS's link to its management server and its outbox. */
public final class StatusRoute implements RouteHandler {
    private final SiteLink link;

    @Inject
    public StatusRoute(SiteLink link) {
        this.link = link;
    }

    @Override
    public Object handle(ApiRequest request) {
        return link.status();
    }
}
