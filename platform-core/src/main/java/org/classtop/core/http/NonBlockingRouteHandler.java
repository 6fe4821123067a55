package org.classtop.core.http;

import org.classtop.api.server.RouteHandler;

/**
 * A core route whose handler never blocks (no database read, no waiting): when its caller is recognised
 * without the database and its body has a known length within {@link ExchangeApiRequest#MAX_BODY_BYTES}, the
 * body is read and the handler run on the I/O thread, with no hand-off to a worker. Anything else takes the
 * worker path as every other route does.
 */
public interface NonBlockingRouteHandler extends RouteHandler {
}
