package org.classtop.plugins.managementsync.centre;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.Clients;
import org.classtop.plugins.managementsync.centre.Principals.Kind;
import org.classtop.plugins.managementsync.centre.Principals.Principal;

/**
 * The centre's rules: registration and keys, heartbeats, client registration and sync, with their bounds.
 * Memory ({@link Sites}) changes only after the database write is durable.
 */
@Singleton
final class Centre {
    private static final com.fasterxml.jackson.databind.ObjectMapper CANONICAL = new com.fasterxml.jackson.databind.ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    final Sites sites;
    final CentreSettings settings;
    final CentreStore store;
    private final Clients clients;
    /**
     * Serialises registrations, key changes and deletions (each waits for its write). Never {@link Sites}' own
     * monitor: write continuations take that one on the database's completion thread.
     */
    private final Object registrationLock = new Object();
    final AtomicLong heartbeats = new AtomicLong();
    final AtomicLong duplicateHeartbeats = new AtomicLong();
    final AtomicLong syncs = new AtomicLong();
    final AtomicLong duplicateSyncs = new AtomicLong();

    @Inject
    Centre(Sites sites, CentreSettings settings, CentreStore store, Clients clients) {
        this.sites = sites;
        this.settings = settings;
        this.store = store;
        this.clients = clients;
    }

    /** Every centre route answers 404 on an LMS: the part is inert there. */
    void requireCentre() {
        if (!settings.isCentre()) {
            throw new ApiException(404, "NOT_A_MANAGEMENT_SERVER",
                    "This server is an LMS; the management routes answer on a server started with --role management.");
        }
    }

    /** The LMS has a live WebSocket to this centre (its command channel). */
    boolean connected(Sites.Site site) {
        return clients.find(site.lmsUuid).map(c -> c.online() && "lms".equals(c.clientType())).orElse(false);
    }

    /**
     * Why {@code taker} may not take {@code client} from the LMS holding it, or null when it may: a client held by
     * no LMS (or by {@code taker}) is free; one held by another LMS moves only when it has no client key of its
     * own and its holder has been offline (no heartbeat, no WebSocket) for its offline window. An admin moves any.
     */
    String takeoverRefusal(Sites.Client client, Sites.Site taker, long now) {
        if (client == null || client.lmsId == null || client.lmsId.equals(taker.id)) {
            return null;
        }
        Sites.Site holder = sites.site(client.lmsId).orElse(null);
        if (holder == null) {
            return null;
        }
        if (client.keyHash != null) {
            return "Client '" + client.uuid + "' holds its own client key and is held by another LMS; only an admin can move it.";
        }
        if (holder.online(now, settings.offlineAfterIntervals) || connected(holder)) {
            return "Client '" + client.uuid + "' is held by another LMS that is online; it may move after that LMS has been offline for "
                    + (long) settings.offlineAfterIntervals * holder.interval + " s, or by an admin.";
        }
        return null;
    }

    // ---- registration --------------------------------------------------------------------------------------

    CompletionStage<Map<String, Object>> register(Principal who, Map<String, Object> body) {
        if (who.kind() == Kind.LMS || who.kind() == Kind.CLIENT) {
            throw new ApiException(403, "FORBIDDEN", "An LMS registers with the centre's admin token, an enrolment token, "
                    + "or no token in open enrolment; an API key cannot register an LMS.");
        }
        String lmsUuid = Bodies.uuid(body, "lms_uuid");
        String name = Bodies.text(body, "name", true, 128);
        String host = Bodies.text(body, "host", false, 255);
        Long port = Bodies.whole(body, "port", false, 1, 65535);
        String version = Bodies.text(body, "version", false, 64);
        long now = System.currentTimeMillis();
        String key = Keys.newLmsKey();
        String hash = Keys.sha256Hex(key);
        synchronized (registrationLock) {
            Sites.Site known = sites.siteByUuid(lmsUuid).orElse(null);
            // The uuid of an ordinary agent is not an LMS's to take (its key would then vouch for that uuid).
            if (clients.find(lmsUuid).map(c -> c.clientType() != null && !"lms".equals(c.clientType())).orElse(false)) {
                throw new ApiException(409, "UUID_IN_USE", "'" + lmsUuid + "' is the uuid of a client of this centre, "
                        + "not of an LMS; register the LMS with its own lms_uuid.");
            }
            // Re-keying an LMS that is connected right now takes a person (admin token or login): an enrolment token
            // or open enrolment cannot hijack a working site; a site that lost its key is offline and may re-register.
            if (known != null && who.kind() != Kind.USER && connected(known)) {
                throw new ApiException(409, "LMS_CONNECTED", "LMS '" + lmsUuid + "' is connected to this centre now; "
                        + "re-registering it takes the centre's admin token (or rotate its key).");
            }
            if (known == null && sites.sites().size() >= settings.maxLms) {
                throw new ApiException(409, "LMS_LIMIT", "This centre already has " + settings.maxLms
                        + " LMS instances, its limit (management-sync.MAX_LMS).");
            }
            Sites.Site site = known != null ? known : new Sites.Site(UUID.randomUUID().toString(), lmsUuid, now);
            Sites.Site draft = new Sites.Site(site.id, lmsUuid, site.registeredAt);
            draft.name = name;
            draft.host = host;
            draft.port = port == null ? null : port.intValue();
            draft.version = version;
            draft.keyHash = hash;
            // Written first, applied after: a failed write leaves the old key working.
            store.saveSite(draft, known == null, now).toCompletableFuture().join();
            site.name = name;
            site.host = host;
            site.port = draft.port;
            site.version = version;
            if (known == null) {
                site.keyHash = hash;
                sites.putSite(site);
            } else {
                sites.rekey(site, hash);
                // A re-registering LMS may have a new database and count its heartbeat seq from 0 again.
                synchronized (site) {
                    site.lastSeq = -1;
                }
            }
            if (known != null) {
                clients.disconnect(lmsUuid, "This LMS was registered again with a new API key; connect with that key.");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("lms_id", site.id);
            out.put("api_key", key);
            out.put("new", known == null);
            return java.util.concurrent.CompletableFuture.completedFuture(out);
        }
    }

    Map<String, Object> rotateKey(String lmsId) {
        Sites.Site site = requireSite(lmsId);
        String key = Keys.newLmsKey();
        String hash = Keys.sha256Hex(key);
        synchronized (registrationLock) {
            store.rekey(site.id, hash, System.currentTimeMillis()).toCompletableFuture().join();
            sites.rekey(site, hash);
        }
        // The socket was admitted by the old key: a leaked key must not stay connected (and keep getting relays).
        clients.disconnect(site.lmsUuid, "The API key of this LMS was rotated; connect again with the new key.");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lms_id", site.id);
        out.put("api_key", key);
        return out;
    }

    Map<String, Object> delete(String lmsId) {
        Sites.Site site = requireSite(lmsId);
        synchronized (registrationLock) {
            store.deleteSite(site.id).toCompletableFuture().join();
            sites.removeSite(site);
        }
        clients.disconnect(site.lmsUuid, "This LMS was deleted from the centre; register it again to reconnect.");
        return Map.of("lms_id", site.id, "deleted", true);
    }

    Sites.Site requireSite(String lmsId) {
        return sites.site(lmsId).orElseThrow(() -> ApiException.notFound("LMS_NOT_FOUND", "No LMS with id '" + lmsId + "' is registered here."));
    }

    // ---- heartbeat -----------------------------------------------------------------------------------------

    CompletionStage<Map<String, Object>> heartbeat(Principal who, Map<String, Object> body) {
        if (who.kind() != Kind.LMS) {
            throw new ApiException(401, "API_KEY_REQUIRED", "A heartbeat must carry the API key of the LMS that sends it "
                    + "(Authorization: Bearer <api_key>).");
        }
        String lmsUuid = Bodies.uuid(body, "lms_uuid");
        Sites.Site site = who.site();
        if (!site.lmsUuid.equals(lmsUuid)) {
            throw new ApiException(403, "FORBIDDEN", "This API key belongs to another LMS; an LMS may only report for itself.");
        }
        int clientCount = Bodies.whole(body, "client_count", true, 0, Integer.MAX_VALUE).intValue();
        List<Object> list = Bodies.list(body, "clients", true, settings.maxClientsPerHeartbeat);
        Long outbox = Bodies.whole(body, "outbox", false, 0, Integer.MAX_VALUE);
        Long seq = Bodies.whole(body, "seq", false, 0, Long.MAX_VALUE);
        Long interval = Bodies.whole(body, "interval", false, 1, 3600);
        Map<String, String[]> reported = new LinkedHashMap<>();
        int i = 0;
        for (Object item : list) {
            String where = "clients[" + i + "]";
            Map<String, Object> c = Bodies.object(item, where);
            String uuid = field(() -> Bodies.uuid(c, "uuid"), where);
            String name = field(() -> Bodies.text(c, "name", false, 128), where);
            String status = field(() -> Bodies.text(c, "status", false, 32), where);
            reported.put(uuid, new String[]{name, status == null ? "unknown" : status});
            i++;
        }
        long now = System.currentTimeMillis();

        List<CentreStore.ClientChange> changes = new ArrayList<>();
        int skipped = 0;
        for (java.util.Iterator<String> it = reported.keySet().iterator(); it.hasNext(); ) {
            if (takeoverRefusal(sites.client(it.next()).orElse(null), site, now) != null) {
                it.remove(); // another LMS's client: ignored, counted in the answer
                skipped++;
            }
        }
        final int skippedClients = skipped;
        int online = (int) reported.values().stream().filter(v -> "online".equals(v[1])).count();
        synchronized (site) {
            if (seq != null && seq <= site.lastSeq) {
                duplicateHeartbeats.incrementAndGet();
                return java.util.concurrent.CompletableFuture.completedFuture(Map.of("applied", false, "duplicate", true,
                        "last_seq", site.lastSeq));
            }
            int newRows = 0;
            for (String uuid : reported.keySet()) {
                if (!site.clients.contains(uuid)) {
                    newRows++;
                }
            }
            if (site.clients.size() + newRows > settings.maxClientsPerLms) {
                throw new ApiException(409, "CLIENT_LIMIT", "This LMS would hold " + (site.clients.size() + newRows)
                        + " clients; an LMS may hold at most " + settings.maxClientsPerLms + " (management-sync.MAX_CLIENTS_PER_LMS).");
            }
            long unknown = reported.keySet().stream().filter(u -> sites.client(u).isEmpty()).count();
            if (sites.clientCount() + unknown > settings.maxClients) {
                throw new ApiException(409, "CLIENT_LIMIT", "The centre holds " + sites.clientCount() + " clients, its limit is "
                        + settings.maxClients + " (management-sync.MAX_CLIENTS).");
            }
            for (Map.Entry<String, String[]> e : reported.entrySet()) {
                Sites.Client known = sites.client(e.getKey()).orElse(null);
                String name = e.getValue()[0] != null ? e.getValue()[0] : known == null ? null : known.name;
                String status = e.getValue()[1];
                boolean newToLms = !site.clients.contains(e.getKey());
                if (known == null || newToLms || !site.id.equals(known.lmsId) || !java.util.Objects.equals(name, known.name)
                        || !java.util.Objects.equals(status, known.status)) {
                    changes.add(new CentreStore.ClientChange(e.getKey(), site.id, name, status, newToLms));
                }
            }
            long previousSeq = site.lastSeq;
            if (seq != null) {
                site.lastSeq = seq;
            }
            int effectiveInterval = interval == null ? site.interval : interval.intValue();
            Integer outboxValue = outbox == null ? null : outbox.intValue();
            return store.heartbeat(site, clientCount, online, outboxValue, seq, effectiveInterval, changes, now)
                    .handle((ok, error) -> {
                        if (error != null) {
                            synchronized (site) {
                                if (seq != null && site.lastSeq == seq) {
                                    site.lastSeq = previousSeq;
                                }
                            }
                            throw new ApiException(503, "DATABASE_UNAVAILABLE", "The heartbeat could not be stored; send it again.");
                        }
                        site.lastHeartbeat = now;
                        site.interval = effectiveInterval;
                        site.clientCount = clientCount;
                        site.onlineCount = online;
                        site.outbox = outboxValue;
                        for (CentreStore.ClientChange change : changes) {
                            Sites.Client client = sites.clientOrNew(change.uuid(), now);
                            client.name = change.name();
                            client.status = change.status();
                            sites.hold(client, site);
                        }
                        heartbeats.incrementAndGet();
                        Map<String, Object> out = new LinkedHashMap<>();
                        out.put("applied", true);
                        out.put("changed_clients", changes.size());
                        out.put("skipped_clients", skippedClients);
                        out.put("offline_after_seconds", (long) settings.offlineAfterIntervals * effectiveInterval);
                        return out;
                    });
        }
    }

    // ---- clients -------------------------------------------------------------------------------------------

    CompletionStage<Map<String, Object>> registerClient(Principal who, Map<String, Object> body) {
        String uuid = Bodies.uuid(body, "uuid");
        String name = Bodies.text(body, "name", false, 128);
        String apiUrl = Bodies.text(body, "api_url", false, 512);
        long now = System.currentTimeMillis();
        synchronized (registrationLock) {
            Sites.Client known = sites.client(uuid).orElse(null);
            Sites.Site holder = null;
            boolean issueKey = false;
            switch (who.kind()) {
                case LMS -> {
                    holder = who.site();
                    String refusal = takeoverRefusal(known, holder, now);
                    if (refusal != null) {
                        throw new ApiException(403, "FORBIDDEN", refusal);
                    }
                    if (!holder.clients.contains(uuid) && holder.clients.size() >= settings.maxClientsPerLms) {
                        throw new ApiException(409, "CLIENT_LIMIT", "This LMS already holds " + holder.clients.size()
                                + " clients, its limit (management-sync.MAX_CLIENTS_PER_LMS).");
                    }
                }
                case CLIENT -> {
                    if (!who.client().uuid.equals(uuid)) {
                        throw new ApiException(403, "FORBIDDEN", "This client key belongs to another client; a client may only register itself.");
                    }
                    holder = known == null || known.lmsId == null ? null : sites.site(known.lmsId).orElse(null);
                }
                case ENROLMENT, OPEN -> {
                    if (known != null && known.keyHash != null) {
                        throw new ApiException(409, "CLIENT_ALREADY_REGISTERED", "Client '" + uuid + "' already holds a client key; "
                                + "register with that key, or ask an admin to register it again.");
                    }
                    issueKey = true;
                    holder = known == null || known.lmsId == null ? null : sites.site(known.lmsId).orElse(null);
                }
                case USER -> {
                    issueKey = true;
                    // An admin may move a client to another LMS by naming it.
                    String lmsId = Bodies.text(body, "lms_id", false, 64);
                    holder = lmsId != null ? requireSite(lmsId)
                            : known == null || known.lmsId == null ? null : sites.site(known.lmsId).orElse(null);
                }
                default -> throw new IllegalStateException();
            }
            if (known == null && sites.clientCount() >= settings.maxClients) {
                throw new ApiException(409, "CLIENT_LIMIT", "The centre holds " + settings.maxClients
                        + " clients, its limit (management-sync.MAX_CLIENTS).");
            }
            String key = issueKey ? Keys.newClientKey() : null;
            Sites.Client draft = new Sites.Client(uuid, known == null ? now : known.firstSeen);
            draft.name = name != null ? name : known == null ? null : known.name;
            draft.apiUrl = apiUrl != null ? apiUrl : known == null ? null : known.apiUrl;
            draft.status = known == null ? null : known.status;
            draft.lmsId = holder == null ? null : holder.id;
            String keyHash = key != null ? Keys.sha256Hex(key) : known == null ? null : known.keyHash;
            store.saveClient(draft, keyHash, now).toCompletableFuture().join();
            Sites.Client client = sites.clientOrNew(uuid, draft.firstSeen);
            client.name = draft.name;
            client.apiUrl = draft.apiUrl;
            sites.setClientKey(client, keyHash);
            sites.hold(client, holder);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("uuid", uuid);
            out.put("lms_id", draft.lmsId);
            if (key != null) {
                out.put("client_key", key);
            }
            return java.util.concurrent.CompletableFuture.completedFuture(out);
        }
    }

    // ---- sync ----------------------------------------------------------------------------------------------

    CompletionStage<Map<String, Object>> sync(Principal who, Map<String, Object> body) {
        String uuid = Bodies.uuid(body, "client_uuid");
        Sites.Client known = sites.client(uuid).orElse(null);
        String newClientLms = null;
        switch (who.kind()) {
            case LMS -> {
                if (known != null && known.lmsId != null && !known.lmsId.equals(who.site().id)) {
                    throw new ApiException(403, "FORBIDDEN", "Client '" + uuid + "' is held by another LMS; an LMS syncs only its own clients.");
                }
                if (known == null || known.lmsId == null) {
                    if (who.site().clients.size() >= settings.maxClientsPerLms) {
                        throw new ApiException(409, "CLIENT_LIMIT", "This LMS already holds " + who.site().clients.size()
                                + " clients, its limit (management-sync.MAX_CLIENTS_PER_LMS).");
                    }
                    newClientLms = who.site().id;
                }
            }
            case CLIENT -> {
                if (!who.client().uuid.equals(uuid)) {
                    throw new ApiException(403, "FORBIDDEN", "This client key belongs to another client; a client syncs only its own data.");
                }
            }
            case USER -> {
                // An admin may sync for any client.
            }
            default -> throw new ApiException(401, "API_KEY_REQUIRED", "A sync needs an LMS API key or the client's own key "
                    + "(Authorization: Bearer <key>).");
        }
        if (known == null && sites.clientCount() >= settings.maxClients) {
            throw new ApiException(409, "CLIENT_LIMIT", "The centre holds " + settings.maxClients + " clients, its limit (management-sync.MAX_CLIENTS).");
        }
        Object timestamp = body.get("timestamp");
        if (timestamp == null) {
            throw Bodies.invalid("The field 'timestamp' is required (when the client took this data, ISO-8601 or epoch seconds).");
        }
        if (!(timestamp instanceof String || timestamp instanceof Number) || timestamp.toString().length() > 64) {
            throw Bodies.invalid("The field 'timestamp' must be an ISO-8601 text or a number of epoch seconds.");
        }
        String syncId = Bodies.text(body, "sync_id", false, 128);
        if (syncId != null && !Bodies.ID.matcher(syncId).matches()) {
            throw Bodies.invalid("The field 'sync_id' must be 1 to 128 letters, digits, '.', '_', ':' or '-'.");
        }
        List<Object> courses = Bodies.list(body, "courses", false, settings.maxCoursesPerSync);
        List<Object> schedules = Bodies.list(body, "schedules", false, settings.maxSchedulesPerSync);
        Object settingsValue = body.get("settings");
        if (settingsValue != null) {
            Map<String, Object> map = Bodies.object(settingsValue, "settings");
            if (map.size() > settings.maxSettingsPerSync) {
                throw new ApiException(413, "TOO_MANY_ITEMS", "The field 'settings' has " + map.size() + " keys; at most "
                        + settings.maxSettingsPerSync + " are taken at once.");
            }
        }
        Map<String, String> courseRows = courses == null ? null : items(courses, "courses");
        Map<String, String> scheduleRows = schedules == null ? null : items(schedules, "schedules");
        List<CentreStore.Camera> cameras = null;
        List<CentreStore.CctvEvent> events = List.of();
        Object cctv = body.get("cctv");
        if (cctv != null) {
            Map<String, Object> c = Bodies.object(cctv, "cctv");
            List<Object> cams = Bodies.list(c, "cameras", false, settings.maxCamerasPerSync);
            if (cams != null) {
                cameras = new ArrayList<>();
                Set<String> seen = new LinkedHashSet<>();
                int i = 0;
                for (Object o : cams) {
                    String where = "cctv.cameras[" + i + "]";
                    Map<String, Object> cam = Bodies.object(o, where);
                    String id = field(() -> Bodies.text(cam, "camera_id", true, 100), where);
                    if (seen.add(id)) {
                        cameras.add(new CentreStore.Camera(id, field(() -> Bodies.text(cam, "name", false, 255), where),
                                field(() -> Bodies.text(cam, "source", false, 2048), where),
                                field(() -> Bodies.flag(cam, "recording"), where),
                                field(() -> Bodies.flag(cam, "streaming"), where)));
                    }
                    i++;
                }
            }
            List<Object> evs = Bodies.list(c, "events", false, settings.maxCctvEventsPerSync);
            if (evs != null) {
                List<CentreStore.CctvEvent> list = new ArrayList<>();
                int i = 0;
                for (Object o : evs) {
                    Map<String, Object> ev = Bodies.object(o, "cctv.events[" + i + "]");
                    String where = "cctv.events[" + i + "]";
                    String type = field(() -> Bodies.text(ev, "event_type", true, 50), where);
                    String camera = field(() -> Bodies.text(ev, "camera_id", false, 100), where);
                    Long at = field(() -> Bodies.whole(ev, "at", false, 0, Long.MAX_VALUE), where);
                    Object details = ev.get("details");
                    list.add(new CentreStore.CctvEvent(camera, type, details == null ? null : json(details),
                            at == null ? System.currentTimeMillis() : at));
                    i++;
                }
                events = list;
            }
        }
        String syncKey;
        if (syncId != null) {
            syncKey = "id:" + syncId;
        } else {
            Map<String, Object> content = new LinkedHashMap<>();
            content.put("courses", courses);
            content.put("schedules", schedules);
            content.put("settings", settingsValue);
            content.put("cctv", cctv);
            content.put("timestamp", timestamp.toString());
            syncKey = "sha:" + Keys.sha256Hex(canonical(content));
        }
        CentreStore.SyncData data = new CentreStore.SyncData(uuid, syncKey, timestamp.toString(), courseRows, scheduleRows,
                settingsValue == null ? null : json(settingsValue), cameras, events, newClientLms, null);
        long now = System.currentTimeMillis();
        final String holderId = newClientLms;
        return store.sync(data, now).handle((applied, error) -> {
            if (error != null) {
                throw new ApiException(503, "DATABASE_UNAVAILABLE", "The sync could not be stored; send it again.");
            }
            if (applied) {
                syncs.incrementAndGet();
                Sites.Client client = sites.clientOrNew(uuid, now);
                client.lastSync = now;
                if (holderId != null) {
                    sites.site(holderId).ifPresent(site -> sites.hold(client, site));
                }
            } else {
                duplicateSyncs.incrementAndGet();
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("applied", applied);
            out.put("duplicate", !applied);
            out.put("sync_key", syncKey);
            out.put("courses", courseRows == null ? null : courseRows.size());
            out.put("schedules", scheduleRows == null ? null : scheduleRows.size());
            return out;
        });
    }

    private static <T> T field(java.util.function.Supplier<T> read, String where) {
        try {
            return read.get();
        } catch (ApiException e) {
            if (e.status() == 400) {
                throw Bodies.invalid(e.getMessage().replace("The field '", "The field '" + where + "."));
            }
            throw e;
        }
    }

    /** Items by their {@code id} (a string or number), or by a hash of their content when they have none. */
    private static Map<String, String> items(List<Object> list, String field) {
        Map<String, String> rows = new LinkedHashMap<>();
        if (list == null) {
            return rows;
        }
        int i = 0;
        for (Object item : list) {
            Map<String, Object> map = Bodies.object(item, field + "[" + i + "]");
            Object id = map.get("id");
            String key;
            if (id instanceof String || id instanceof Number) {
                key = id.toString();
                if (key.isEmpty() || key.length() > 128) {
                    throw Bodies.invalid("The field '" + field + "[" + i + "].id' must be 1 to 128 characters.");
                }
            } else if (id == null) {
                key = "sha:" + Keys.sha256Hex(canonical(map)).substring(0, 32);
            } else {
                throw Bodies.invalid("The field '" + field + "[" + i + "].id' must be a string or a number.");
            }
            rows.put(key, json(map));
            i++;
        }
        return rows;
    }

    static String json(Object value) {
        try {
            return CentreStore.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw Bodies.invalid("The body could not be read as JSON.");
        }
    }

    private static String canonical(Object value) {
        try {
            return CANONICAL.writeValueAsString(CANONICAL.convertValue(value, Object.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return String.valueOf(value);
        }
    }

    /** Counters for {@code GET /api/management/stats} (and the benchmark). */
    Map<String, Object> stats() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lms", sites.sites().size());
        out.put("clients", sites.clientCount());
        out.put("heartbeats", heartbeats.get());
        out.put("duplicate_heartbeats", duplicateHeartbeats.get());
        out.put("syncs", syncs.get());
        out.put("duplicate_syncs", duplicateSyncs.get());
        out.put("rows_written", store.rowsWritten.get());
        out.put("writes", store.writes.get());
        out.put("database", store.dialect().name().toLowerCase(java.util.Locale.ROOT));
        return out;
    }
}
