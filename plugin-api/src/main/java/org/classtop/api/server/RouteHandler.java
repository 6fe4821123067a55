package org.classtop.api.server;

/**
 * Serves one REST route. Runs on a worker thread, never on an I/O thread, so it may block
 * (JDBC); but waiting for an agent is better expressed by returning the
 * {@link java.util.concurrent.CompletionStage} of {@link AgentCommands}.
 *
 * <p>Return a value (rendered as {@code {"success":true,"data":value}}), an {@link ApiResponse}, a
 * {@link StreamResponse} (MJPEG, chunked), a {@link FileResponse} (Range, ETag), or a
 * {@code CompletionStage} of any of them; throw {@link ApiException} for a failure. Any other
 * exception becomes a 500 with a generic sentence (and is logged with its stack trace).
 */
@FunctionalInterface
public interface RouteHandler {
    Object handle(ApiRequest request) throws Exception;
}
