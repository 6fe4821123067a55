package org.classtop.core.clients;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.classtop.api.server.ClientInfo;
import org.classtop.api.server.Clients;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.hub.AgentSessions;
import org.classtop.core.storage.ClientRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every known client, in memory; each change is written behind through the storage writer. Clients
 * that only wait for approval are kept in memory, never written, and at most
 * {@code --max-pending-clients} of them: beyond it the one waiting longest is dropped.
 */
@Singleton
public final class ClientDirectory implements Clients {
    private static final Logger LOG = LoggerFactory.getLogger(ClientDirectory.class);

    private final ClientRepository repository;
    private final Map<String, ClientState> clients = new ConcurrentHashMap<>();
    /** Unstored pending clients, oldest first. Guarded by itself. */
    private final LinkedHashMap<String, ClientState> waiting = new LinkedHashMap<>();
    private final int maxPending;
    /** A provider: the sessions need this directory first. */
    private final Provider<AgentSessions> sessions;

    @Inject
    public ClientDirectory(ClientRepository repository, ServerConfig config, Provider<AgentSessions> sessions) {
        this.repository = repository;
        this.sessions = sessions;
        this.maxPending = config.limits().maxPendingClients();
    }

    @Override
    public boolean disconnect(String uuid, String reason) {
        return sessions.get().disconnect(uuid, reason);
    }

    /** At start-up: nobody is connected yet. */
    public void load() {
        repository.markAllOffline().toCompletableFuture().join();
        for (ClientRepository.ClientRecord record : repository.findAll()) {
            clients.put(record.uuid(), ClientState.from(record));
        }
        LOG.info("{} known clients loaded", clients.size());
    }

    public ClientState state(String uuid) {
        return clients.get(uuid);
    }

    /** A new client admitted at once (enrolment token or open mode); stored with its first {@link #persist}. */
    public void add(ClientState client) {
        clients.put(client.uuid(), client);
    }

    /**
     * A new client waiting for approval, in memory only. When that makes more than the allowed number
     * waiting, the one waiting longest is dropped and returned, so its connection can be closed.
     */
    public Optional<ClientState> addPending(ClientState client) {
        synchronized (waiting) {
            clients.put(client.uuid(), client);
            waiting.put(client.uuid(), client);
            if (waiting.size() <= maxPending) {
                return Optional.empty();
            }
            var oldest = waiting.entrySet().iterator().next();
            waiting.remove(oldest.getKey());
            clients.remove(oldest.getKey(), oldest.getValue());
            LOG.info("More than {} clients wait for approval: forgot the oldest, {}", maxPending, oldest.getValue().label());
            return Optional.of(oldest.getValue());
        }
    }

    /** Unstored pending clients held now. */
    public int pendingInMemory() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    /**
     * Writes the client's current record behind (never blocks). A client that was never approved is
     * not written: an unapproved agent costs the database nothing.
     */
    public void persist(ClientState client) {
        if (client.unapprovedAndUnstored()) {
            return;
        }
        synchronized (waiting) {
            waiting.remove(client.uuid(), client);
        }
        client.markStored();
        repository.save(client.toRecord()).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("Could not save client {}: {}", client.uuid(), e.getMessage());
            }
        });
    }

    public void remove(String uuid) {
        ClientState removed = clients.remove(uuid);
        synchronized (waiting) {
            waiting.remove(uuid, removed);
        }
        repository.delete(uuid);
    }

    /**
     * Writes the last-seen times that moved since the last write, in one batch: heartbeats only touch
     * memory, and this runs every few heartbeat intervals (and a disconnect writes the whole record).
     *
     * @return how many clients were written
     */
    public int writeLastSeen() {
        Map<String, java.time.Instant> moved = new java.util.HashMap<>();
        for (ClientState client : clients.values()) {
            java.time.Instant seen = client.lastSeenToWrite();
            if (seen != null) {
                moved.put(client.uuid(), seen);
            }
        }
        if (!moved.isEmpty()) {
            repository.saveLastSeen(moved).whenComplete((v, e) -> {
                if (e != null) {
                    LOG.warn("Could not save the last-seen times of {} clients: {}", moved.size(), e.getMessage());
                }
            });
        }
        return moved.size();
    }

    /** The views of the REST API and the live feed (with their version), in the order of {@link #list()}. */
    public List<Map<String, Object>> views(java.util.function.Predicate<Map<String, Object>> filter) {
        return clients.values().stream().map(ClientState::toView)
                .filter(filter)
                .sorted(Comparator.comparing((Map<String, Object> v) -> v.get("name") == null ? "" : (String) v.get("name"))
                        .thenComparing(v -> (String) v.get("uuid")))
                .toList();
    }

    /** One client's view (with its version), if known. */
    public Optional<Map<String, Object>> view(String uuid) {
        return Optional.ofNullable(clients.get(uuid)).map(ClientState::toView);
    }

    /**
     * Clients by status ({@code online}, {@code offline}, {@code pending}, {@code rejected}) and the online
     * approved agents by reported version, in one pass without copying any client (for metrics).
     */
    public ClientCounts counts() {
        Map<String, Integer> byStatus = new java.util.TreeMap<>();
        Map<String, Integer> byVersion = new java.util.TreeMap<>();
        for (String status : new String[] {"online", "offline", EnrollmentService.PENDING, EnrollmentService.REJECTED}) {
            byStatus.put(status, 0);
        }
        for (ClientState c : clients.values()) {
            String enrollment = c.enrollment();
            boolean online = c.online();
            String status = EnrollmentService.PENDING.equals(enrollment) || EnrollmentService.REJECTED.equals(enrollment)
                    ? enrollment : online ? "online" : "offline";
            byStatus.merge(status, 1, Integer::sum);
            if (online && EnrollmentService.APPROVED.equals(enrollment)) { // unapproved agents report what they like
                String version = c.agentVersion();
                byVersion.merge(version == null || version.isBlank() ? "unknown" : version, 1, Integer::sum);
            }
        }
        return new ClientCounts(byStatus, byVersion);
    }

    /** See {@link #counts()}. */
    public record ClientCounts(Map<String, Integer> byStatus, Map<String, Integer> onlineByAgentVersion) {
    }

    @Override
    public List<ClientInfo> list() {
        return clients.values().stream().map(ClientState::toInfo)
                .sorted(Comparator.comparing((ClientInfo c) -> c.name() == null ? "" : c.name()).thenComparing(ClientInfo::uuid))
                .toList();
    }

    @Override
    public Optional<ClientInfo> find(String uuid) {
        return Optional.ofNullable(clients.get(uuid)).map(ClientState::toInfo);
    }
}
