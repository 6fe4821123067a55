package org.classtop.plugins.managementsync.site;

import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.classtop.api.Event;
import org.classtop.api.EventListener;
import org.classtop.api.server.Clients;

/**
 * Client changes the centre is owed (listens to {@code client.*}): a client that connects or is approved is
 * registered with the centre for this LMS ({@code POST /api/clients/register}); a client's new state sends its
 * settings ({@code POST /api/sync}, only the {@code settings} section: an LMS knows no courses). One entry per
 * client and kind waits in the outbox: a newer one replaces it.
 */
public final class ClientChanges implements EventListener {
    private final SiteLink link;
    private final Clients clients;

    @Inject
    public ClientChanges(SiteLink link, Clients clients) {
        this.link = link;
        this.clients = clients;
    }

    @Override
    public void onEvent(Event event) {
        if (!link.active() || event.clientUuid() == null) {
            return;
        }
        String uuid = event.clientUuid();
        switch (event.name()) {
            case "client.connected", "client.approved" -> clients.find(uuid).ifPresent(client -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("uuid", uuid);
                body.put("name", client.name());
                body.put("api_url", null); // reached through this LMS, not at an address of its own
                link.owe("client", "client:" + uuid, body);
            });
            case "client.state_changed" -> {
                Object state = event.data().get("state");
                Object clientSettings = state instanceof Map<?, ?> map ? map.get("settings") : null;
                if (clientSettings instanceof Map<?, ?>) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("client_uuid", uuid);
                    body.put("settings", clientSettings);
                    body.put("timestamp", event.timestamp().toString());
                    link.owe("sync", "sync:" + uuid, body);
                }
            }
            default -> {
            }
        }
    }
}
