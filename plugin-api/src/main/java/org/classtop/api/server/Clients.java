package org.classtop.api.server;

import java.util.List;
import java.util.Optional;

/** The server's directory of clients (connected or known from the database). */
public interface Clients {
    List<ClientInfo> list();

    Optional<ClientInfo> find(String uuid);

    /**
     * Closes the client's live WebSocket, if it has one, with close code 1008 and {@code reason} (a sentence the
     * other end logs); the client goes offline as after any close and may connect again with valid credentials.
     * For a plugin that revokes what admitted the connection (e.g. a rotated or deleted key).
     *
     * @return true when a connection was closed, false when the client was not connected
     */
    boolean disconnect(String uuid, String reason);

    /** The client, or a 404 {@code CLIENT_NOT_FOUND} {@link ApiException} naming the uuid. */
    default ClientInfo require(String uuid) {
        return find(uuid).orElseThrow(() -> ApiException.notFound("CLIENT_NOT_FOUND",
                "No client with uuid '" + uuid + "' is known to this server."));
    }
}
