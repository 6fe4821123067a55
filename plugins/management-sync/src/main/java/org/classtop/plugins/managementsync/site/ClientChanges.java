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
 * client and kind waits in the outbox: a newer one replaces it. A state change whose settings equal the last
 * ones owed for that client owes nothing (state_changed comes with every state update, settings rarely change).
 */
@jakarta.inject.Singleton
public final class ClientChanges implements EventListener {
    private static final com.fasterxml.jackson.databind.ObjectMapper CANONICAL = new com.fasterxml.jackson.databind.ObjectMapper()
            .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private final SiteLink link;
    private final Clients clients;
    /** Per client, a hash of the settings last owed; bounded (cleared when it outgrows any real site). */
    private final Map<String, String> lastSettings = new java.util.concurrent.ConcurrentHashMap<>();
    static final int MAX_REMEMBERED = 100_000;

    @Inject
    public ClientChanges(SiteLink link, Clients clients) {
        this.link = link;
        this.clients = clients;
    }

    /** True when {@code settings} are those last owed for {@code uuid}; else remembers them. */
    private boolean unchanged(String uuid, Map<?, ?> settings) {
        String hash;
        try {
            hash = sha256(CANONICAL.writeValueAsString(settings));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return false;
        }
        if (lastSettings.size() >= MAX_REMEMBERED && !lastSettings.containsKey(uuid)) {
            lastSettings.clear();
        }
        return hash.equals(lastSettings.put(uuid, hash));
    }

    private static String sha256(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
                if (clientSettings instanceof Map<?, ?> map && !unchanged(uuid, map)) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("client_uuid", uuid);
                    body.put("settings", clientSettings);
                    body.put("timestamp", event.timestamp().toString());
                    link.owe("sync", "sync:" + uuid, body);
                }
            }
            case "client.deleted" -> lastSettings.remove(uuid);
            default -> {
            }
        }
    }
}
