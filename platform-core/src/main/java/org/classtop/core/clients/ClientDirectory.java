package org.classtop.core.clients;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.classtop.api.server.ClientInfo;
import org.classtop.api.server.Clients;
import org.classtop.core.storage.ClientRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every known client, in memory; each change is written behind through the storage writer. */
@Singleton
public final class ClientDirectory implements Clients {
    private static final Logger LOG = LoggerFactory.getLogger(ClientDirectory.class);

    private final ClientRepository repository;
    private final Map<String, ClientState> clients = new ConcurrentHashMap<>();

    @Inject
    public ClientDirectory(ClientRepository repository) {
        this.repository = repository;
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

    public ClientState stateOrCreate(String uuid) {
        return clients.computeIfAbsent(uuid, ClientState::new);
    }

    /** Writes the client's current record behind (never blocks). */
    public void persist(ClientState client) {
        repository.save(client.toRecord()).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("Could not save client {}: {}", client.uuid(), e.getMessage());
            }
        });
    }

    public void remove(String uuid) {
        clients.remove(uuid);
        repository.delete(uuid);
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
