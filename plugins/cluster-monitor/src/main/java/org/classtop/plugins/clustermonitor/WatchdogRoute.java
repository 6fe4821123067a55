package org.classtop.plugins.clustermonitor;

import jakarta.inject.Inject;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;

/** {@code GET /api/servers/watchdog}: the watchdog's settings, its restarts this hour and the channels it counts. */
public final class WatchdogRoute implements RouteHandler {
    private final Watchdog watchdog;
    private final Poller poller;

    @Inject
    public WatchdogRoute(Watchdog watchdog, Poller poller) {
        this.watchdog = watchdog;
        this.poller = poller;
    }

    @Override
    public Object handle(ApiRequest request) {
        return watchdog.view(poller.states());
    }
}
