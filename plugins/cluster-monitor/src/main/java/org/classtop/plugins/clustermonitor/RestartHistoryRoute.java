package org.classtop.plugins.clustermonitor;

import jakarta.inject.Inject;
import java.sql.SQLException;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/servers/restarts?server=&channel=&trigger=&limit=}: the restart history, newest first
 * (also of servers removed since).
 */
public final class RestartHistoryRoute implements RouteHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RestartHistoryRoute.class);
    static final int DEFAULT_LIMIT = 50;

    private final RestartLog log;

    @Inject
    public RestartHistoryRoute(RestartLog log) {
        this.log = log;
    }

    @Override
    public Object handle(ApiRequest request) {
        int limit = request.queryInt("limit", DEFAULT_LIMIT, 1, RestartLog.MAX_LIMIT);
        String trigger = request.queryText("trigger").orElse(null);
        if (trigger != null && !trigger.equals(RestartRecord.MANUAL) && !trigger.equals(RestartRecord.WATCHDOG)) {
            throw ApiException.badRequest("The query parameter 'trigger' must be 'manual' or 'watchdog'.");
        }
        try {
            return log.recent(request.queryText("server").orElse(null), request.queryText("channel").orElse(null), trigger, limit);
        } catch (SQLException e) {
            LOG.error("[cluster-monitor] Reading the restart history failed", e);
            throw ApiException.unavailable("DATABASE_UNAVAILABLE", "The restart history could not be read; try again.");
        }
    }
}
