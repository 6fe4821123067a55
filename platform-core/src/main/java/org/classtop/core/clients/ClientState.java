package org.classtop.core.clients;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.classtop.api.server.ClientInfo;
import org.classtop.core.storage.ClientRepository.ClientRecord;

/**
 * What the server knows of one client, kept in memory (the database is written behind it), so the
 * WebSocket path never waits for a read. Fields are guarded by {@code this}.
 */
public final class ClientState {
    /**
     * Versions of client views: bumped on every change, so the UI keeps the newer of a list snapshot and a
     * live event. Seeded from the clock in microseconds, so a restarted server's versions are larger than
     * those a page kept from before the restart.
     */
    private static final AtomicLong VERSIONS = new AtomicLong(System.currentTimeMillis() * 1000);

    private final String uuid;
    private String name;
    private String ipAddress;
    private String enrollment;
    private String clientType;
    private String agentVersion;
    private List<String> capabilities;
    private boolean legacy;
    private String credentialHash;
    private Map<String, Object> state;
    private Instant firstSeen;
    private Instant lastSeen;
    private boolean online;
    private long version = VERSIONS.incrementAndGet();
    /** The last-seen time last handed to the database writer (heartbeats are written in batches). */
    private Instant lastSeenWritten;
    /** Whether the database has a row for this client (pending clients stay in memory until approved). */
    private boolean stored;

    public ClientState(String uuid) {
        this.uuid = uuid;
        this.enrollment = "pending";
        this.capabilities = List.of();
        this.state = Map.of();
        this.firstSeen = Instant.now();
        this.lastSeen = firstSeen;
    }

    /**
     * Client type, agent version and command names are alike for most agents (tens of command names each): one copy
     * of each in the JVM's string table, whose entries go when nothing refers to them any more, so what an agent
     * sends cannot grow it beyond what its own client keeps anyway.
     */
    private static String shared(String value) {
        return value == null ? null : value.intern();
    }

    private static List<String> sharedNames(List<String> names) {
        String[] shared = new String[names.size()];
        for (int i = 0; i < shared.length; i++) {
            shared[i] = shared(names.get(i));
        }
        return List.of(shared);
    }

    public static ClientState from(ClientRecord r) {
        ClientState s = new ClientState(r.uuid());
        s.name = r.name();
        s.ipAddress = r.ipAddress();
        s.enrollment = r.enrollment();
        s.clientType = shared(r.clientType());
        s.agentVersion = shared(r.agentVersion());
        s.capabilities = r.capabilities() == null ? List.of() : sharedNames(r.capabilities());
        s.legacy = r.legacy();
        s.credentialHash = r.credentialHash();
        s.state = r.lastState() == null ? Map.of() : r.lastState();
        s.firstSeen = r.firstSeen();
        s.lastSeen = r.lastSeen();
        s.online = false;
        s.stored = true;
        s.lastSeenWritten = s.lastSeen;
        return s;
    }

    public synchronized ClientRecord toRecord() {
        lastSeenWritten = lastSeen;
        return new ClientRecord(uuid, name, ipAddress, enrollment, clientType, agentVersion, capabilities, legacy,
                credentialHash, state, firstSeen, lastSeen, online);
    }

    public synchronized ClientInfo toInfo() {
        return new ClientInfo(uuid, name, ipAddress, enrollment, online, lastSeen, firstSeen, clientType, agentVersion,
                capabilities, state);
    }

    /** The JSON view of the REST API and the live feed, with its {@code version}. */
    public synchronized Map<String, Object> toView() {
        Map<String, Object> view = ClientView.of(toInfo());
        view.put("version", version);
        return view;
    }

    /** A heartbeat or any frame of the connected agent: last seen moves, in memory only. */
    public synchronized void seen(long epochMillis) {
        if (online && (lastSeen == null || epochMillis > lastSeen.toEpochMilli())) {
            lastSeen = Instant.ofEpochMilli(epochMillis);
            changed();
        }
    }

    /**
     * The last-seen time to write, once: null when it was written already or the client has no row
     * (pending clients stay in memory).
     */
    synchronized Instant lastSeenToWrite() {
        if (!stored || lastSeen == null || lastSeen.equals(lastSeenWritten)) {
            return null;
        }
        lastSeenWritten = lastSeen;
        return lastSeen;
    }

    private void changed() {
        version = VERSIONS.incrementAndGet();
    }

    /** Called when a connection registers. */
    public synchronized void connected(String name, String ipAddress, String clientType, String agentVersion,
                                       List<String> capabilities, boolean legacy) {
        if (name != null) {
            this.name = name;
        }
        this.ipAddress = ipAddress;
        if (clientType != null) {
            this.clientType = shared(clientType);
        }
        if (agentVersion != null) {
            this.agentVersion = shared(agentVersion);
        }
        if (capabilities != null) {
            this.capabilities = sharedNames(capabilities);
        }
        this.legacy = legacy;
        this.online = true;
        this.lastSeen = Instant.now();
        changed();
    }

    public synchronized void disconnected() {
        this.online = false;
        this.lastSeen = Instant.now();
        changed();
    }

    public synchronized void setState(Map<String, Object> state) {
        this.state = state;
        changed();
    }

    public String uuid() {
        return uuid;
    }

    public synchronized String name() {
        return name;
    }

    /** The name for sentences: "Room 101 (uuid)" or just the uuid. */
    public synchronized String label() {
        return name == null || name.isBlank() ? "'" + uuid + "'" : "'" + name + "' (" + uuid + ")";
    }

    public synchronized String enrollment() {
        return enrollment;
    }

    public synchronized void setEnrollment(String enrollment) {
        this.enrollment = enrollment;
        changed();
    }

    public synchronized String credentialHash() {
        return credentialHash;
    }

    public synchronized void setCredentialHash(String credentialHash) {
        this.credentialHash = credentialHash;
    }

    /** The {@code client_type} its register frame named ({@code client}, {@code lms}, ...), or null. */
    public synchronized String clientType() {
        return clientType;
    }

    public synchronized boolean legacy() {
        return legacy;
    }

    /** The version the agent reported when it last registered, or null. */
    public synchronized String agentVersion() {
        return agentVersion;
    }

    public synchronized boolean online() {
        return online;
    }

    public synchronized String ipAddress() {
        return ipAddress;
    }

    synchronized boolean stored() {
        return stored;
    }

    synchronized void markStored() {
        stored = true;
    }

    /** A client that must stay in memory only: never approved and never stored. */
    public synchronized boolean unapprovedAndUnstored() {
        return !stored && "pending".equals(enrollment);
    }
}
