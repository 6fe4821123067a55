package org.classtop.plugins.managementsync.centre;

import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The centre's memory of its sites and clients, loaded from the database at start and changed only after a
 * write is durable: what key belongs to whom (the WebSocket hook must answer without I/O), which LMS holds
 * which client (command routing), and how many rows each LMS owns (its bound).
 */
@Singleton
final class Sites {
    /** One LMS. Heartbeat fields change together under the site's lock. */
    static final class Site {
        final String id;
        final String lmsUuid;
        final long registeredAt;
        volatile String name;
        volatile String host;
        volatile Integer port;
        volatile String version;
        volatile String keyHash;
        volatile Long lastHeartbeat;
        volatile int interval = 30;
        volatile int clientCount;
        volatile int onlineCount;
        volatile Integer outbox;
        /** Highest heartbeat seq accepted (a write may still be under way); -1 for none. */
        long lastSeq = -1;
        final Set<String> clients = ConcurrentHashMap.newKeySet();

        Site(String id, String lmsUuid, long registeredAt) {
            this.id = id;
            this.lmsUuid = lmsUuid;
            this.registeredAt = registeredAt;
        }

        boolean online(long now, int offlineAfterIntervals) {
            Long last = lastHeartbeat;
            return last != null && now - last <= (long) offlineAfterIntervals * interval * 1000L;
        }
    }

    /** One client row as the centre knows it. */
    static final class Client {
        final String uuid;
        final long firstSeen;
        volatile String lmsId;
        volatile String name;
        volatile String status;
        volatile String apiUrl;
        volatile String keyHash;
        volatile Long lastSync;

        Client(String uuid, long firstSeen) {
            this.uuid = uuid;
            this.firstSeen = firstSeen;
        }
    }

    private final Map<String, Site> byId = new ConcurrentHashMap<>();
    private final Map<String, Site> byUuid = new ConcurrentHashMap<>();
    private final Map<String, Site> byKeyHash = new ConcurrentHashMap<>();
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Client> clientsByKeyHash = new ConcurrentHashMap<>();

    void clear() {
        byId.clear();
        byUuid.clear();
        byKeyHash.clear();
        clients.clear();
        clientsByKeyHash.clear();
    }

    Collection<Site> sites() {
        return byId.values();
    }

    Optional<Site> site(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    Optional<Site> siteByUuid(String lmsUuid) {
        return Optional.ofNullable(lmsUuid == null ? null : byUuid.get(lmsUuid));
    }

    Optional<Site> siteByKey(String key) {
        return Optional.ofNullable(key == null ? null : byKeyHash.get(Keys.sha256Hex(key)));
    }

    synchronized void putSite(Site site) {
        Site old = byId.put(site.id, site);
        if (old != null && old.keyHash != null) {
            byKeyHash.remove(old.keyHash, old);
        }
        byUuid.put(site.lmsUuid, site);
        byKeyHash.put(site.keyHash, site);
    }

    synchronized void rekey(Site site, String newHash) {
        byKeyHash.remove(site.keyHash, site);
        site.keyHash = newHash;
        byKeyHash.put(newHash, site);
    }

    synchronized void removeSite(Site site) {
        byId.remove(site.id, site);
        byUuid.remove(site.lmsUuid, site);
        byKeyHash.remove(site.keyHash, site);
        for (String uuid : site.clients) {
            Client c = clients.get(uuid);
            if (c != null && site.id.equals(c.lmsId)) {
                c.lmsId = null;
            }
        }
        site.clients.clear();
    }

    int clientCount() {
        return clients.size();
    }

    Collection<Client> clients() {
        return clients.values();
    }

    Optional<Client> client(String uuid) {
        return Optional.ofNullable(uuid == null ? null : clients.get(uuid));
    }

    Optional<Client> clientByKey(String key) {
        return Optional.ofNullable(key == null ? null : clientsByKeyHash.get(Keys.sha256Hex(key)));
    }

    /** The row of {@code uuid}, created (not yet stored) when absent. */
    Client clientOrNew(String uuid, long now) {
        return clients.computeIfAbsent(uuid, u -> new Client(u, now));
    }

    void putClient(Client client) {
        clients.put(client.uuid, client);
    }

    synchronized void setClientKey(Client client, String hash) {
        if (client.keyHash != null) {
            clientsByKeyHash.remove(client.keyHash, client);
        }
        client.keyHash = hash;
        if (hash != null) {
            clientsByKeyHash.put(hash, client);
        }
    }

    /** {@code client} is now held by {@code site} (or by none). */
    synchronized void hold(Client client, Site site) {
        String newId = site == null ? null : site.id;
        if (client.lmsId != null && !client.lmsId.equals(newId)) {
            Site old = byId.get(client.lmsId);
            if (old != null) {
                old.clients.remove(client.uuid);
            }
        }
        client.lmsId = newId;
        if (site != null) {
            site.clients.add(client.uuid);
        }
    }
}
