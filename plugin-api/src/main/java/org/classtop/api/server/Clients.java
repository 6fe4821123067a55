package org.classtop.api.server;

import java.util.List;
import java.util.Optional;

/** The server's directory of clients (connected or known from the database). */
public interface Clients {
    List<ClientInfo> list();

    Optional<ClientInfo> find(String uuid);

    /** The client, or a 404 {@code CLIENT_NOT_FOUND} {@link ApiException} naming the uuid. */
    default ClientInfo require(String uuid) {
        return find(uuid).orElseThrow(() -> ApiException.notFound("CLIENT_NOT_FOUND",
                "No client with uuid '" + uuid + "' is known to this server."));
    }
}
