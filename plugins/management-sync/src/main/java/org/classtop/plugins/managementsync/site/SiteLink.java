package org.classtop.plugins.managementsync.site;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.classtop.api.Lifecycle;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ClientInfo;
import org.classtop.api.server.Clients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LMS's link to its management server (inert unless {@link SiteSettings#enabled()}): registers once (the
 * key kept by {@link SiteIdentity}; again on 401 with {@code --management-token}), puts a heartbeat with the
 * client list into the {@link SiteOutbox} every {@code --management-interval} seconds and sends the outbox in
 * order, and keeps the {@link CentreSocket} open for the commands the centre routes here.
 *
 * <p>Everything runs on one thread of its own ({@code management-sync-site}), so the outbox is sent in order
 * by one sender and the centre being slow or down never holds a platform thread.
 */
@Singleton
public final class SiteLink implements Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(SiteLink.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Most clients one heartbeat lists (an LMS holds tens; more is a broken or hostile crowd). */
    static final int MAX_HEARTBEAT_CLIENTS = 10_000;
    private static final int BATCH = 100;

    private enum Sent { SENT, REJECTED, RETRY }

    private final SiteSettings settings;
    private final SiteIdentity identity;
    private final SiteOutbox outbox;
    private final Clients clients;
    private final AgentCommands commands;

    private ScheduledExecutorService executor;
    private CentreHttp http;
    private CentreSocket socket;
    private volatile boolean running;
    private volatile String lastError;
    private volatile Instant lastSentAt;
    private volatile Instant lastHeartbeatAt;
    private final java.util.concurrent.atomic.AtomicBoolean drainQueued = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong drainsQueued = new java.util.concurrent.atomic.AtomicLong();

    @Inject
    public SiteLink(SiteSettings settings, SiteIdentity identity, SiteOutbox outbox, Clients clients,
                    AgentCommands commands) {
        this.settings = settings;
        this.identity = identity;
        this.outbox = outbox;
        this.clients = clients;
        this.commands = commands;
    }

    @Override
    public synchronized void start() {
        if (!settings.enabled()) {
            LOG.debug("[management-sync] site part inert (role {}, no --management-url)", settings.role());
            return;
        }
        identity.load(settings.centreBase());
        http = new CentreHttp(settings.centreBase());
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "management-sync-site");
            thread.setDaemon(true);
            return thread;
        });
        socket = new CentreSocket(settings, identity, commands, http.client(), executor);
        running = true;
        long period = settings.heartbeatInterval().toMillis();
        executor.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
        LOG.info("[management-sync] LMS {} reports to {} every {} s", identity.lmsUuid(), settings.centreBase(),
                settings.heartbeatInterval().toSeconds());
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (socket != null) {
            socket.close();
        }
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean active() {
        return running;
    }

    /**
     * Adds a write for the centre to the outbox (durable when this returns, so a stop right after loses nothing)
     * and sends the outbox soon on the link's thread: the caller never waits for the centre.
     */
    void owe(String kind, String coalesceKey, Map<String, Object> body) {
        if (!running) {
            return;
        }
        outbox.add(kind, coalesceKey, JSON.valueToTree(body).toString());
        queueDrain();
    }

    /** Sends what is owed now (tests and the status page's "send now"). */
    void sendNow() {
        queueDrain();
    }

    /**
     * At most one drain waits in the queue: every client event would otherwise add one, and with an unreachable
     * centre they pile up behind its 10-20 s connects. The flag drops before the drain reads the outbox, so a
     * write added while one runs gets a drain of its own (or is read by the running one).
     */
    private void queueDrain() {
        if (drainQueued.compareAndSet(false, true)) {
            submit(() -> {
                drainQueued.set(false);
                drain();
            });
        }
    }

    /** Drains queued since start (status): at most one waits at a time, however many events pour in. */
    long drainsQueued() {
        return drainsQueued.get();
    }

    private void submit(Runnable work) {
        drainsQueued.incrementAndGet();
        try {
            executor.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    lastError = e.getMessage();
                    LOG.warn("[management-sync] {}", e.getMessage());
                }
            });
        } catch (RejectedExecutionException | NullPointerException e) {
            // stopping
        }
    }

    private void tick() {
        try {
            outbox.add("heartbeat", "heartbeat", heartbeat().toString());
            drain();
            socket.heartbeat();
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            LOG.warn("[management-sync] heartbeat round failed: {}", e.getMessage());
        }
    }

    private ObjectNode heartbeat() {
        List<ClientInfo> all = clients.list();
        ObjectNode body = JSON.createObjectNode();
        body.put("lms_uuid", identity.lmsUuid());
        body.put("client_count", all.size());
        // The centre computes online/offline from it (bounded 1..3600 there).
        body.put("interval", Math.max(1, Math.min(3600, settings.heartbeatInterval().toSeconds())));
        ArrayNode list = body.putArray("clients");
        all.stream().limit(MAX_HEARTBEAT_CLIENTS).forEach(client -> list.addObject()
                .put("uuid", client.uuid())
                .put("name", client.name())
                .put("status", client.online() ? "online" : "offline"));
        return body;
    }

    /** Sends the outbox oldest first; stops at the first write the centre should get later. */
    private void drain() {
        while (running) {
            List<SiteOutbox.Entry> entries = outbox.oldest(BATCH);
            if (entries.isEmpty()) {
                return;
            }
            for (SiteOutbox.Entry entry : entries) {
                Sent sent = send(entry);
                if (sent == Sent.RETRY) {
                    return;
                }
                outbox.remove(entry.id(), sent == Sent.SENT ? "sent" : "rejected");
            }
        }
    }

    private Sent send(SiteOutbox.Entry entry) {
        try {
            if (identity.apiKey().isEmpty() && !register()) {
                return Sent.RETRY;
            }
            String path = switch (entry.kind()) {
                case "heartbeat" -> "/api/lms/heartbeat";
                case "client" -> "/api/clients/register";
                case "sync" -> "/api/sync";
                default -> null;
            };
            if (path == null) {
                LOG.warn("[management-sync] outbox entry {} of unknown kind '{}' dropped", entry.id(), entry.kind());
                return Sent.REJECTED;
            }
            String body = withId(entry);
            CentreHttp.Answer answer = http.post(path, body, identity.apiKey().orElse(null));
            if (answer.status() == 401) {
                LOG.info("[management-sync] the centre refused this LMS's key; registering again");
                identity.forgetKey();
                socket.disconnect();
                if (!register()) {
                    return Sent.RETRY;
                }
                answer = http.post(path, body, identity.apiKey().orElse(null));
            }
            if (answer.ok()) {
                lastSentAt = Instant.now();
                if (entry.kind().equals("heartbeat")) {
                    lastHeartbeatAt = lastSentAt;
                }
                lastError = null;
                return Sent.SENT;
            }
            lastError = path + " answered " + answer.error();
            if (answer.transientFailure()) {
                return Sent.RETRY;
            }
            LOG.warn("[management-sync] the centre refused outbox entry {} ({}) for good: {}", entry.id(), entry.kind(),
                    answer.error());
            return Sent.REJECTED;
        } catch (IOException e) {
            lastError = "the centre " + settings.centreBase() + " cannot be reached: " + e.getMessage();
            return Sent.RETRY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Sent.RETRY;
        }
    }

    /** The entry's body with its idempotency id: {@code seq} (= the entry id) or a {@code sync_id} built from it. */
    private String withId(SiteOutbox.Entry entry) throws IOException {
        JsonNode parsed = JSON.readTree(entry.body());
        ObjectNode body = parsed instanceof ObjectNode object ? object : JSON.createObjectNode();
        switch (entry.kind()) {
            case "heartbeat" -> {
                body.put("seq", entry.id());
                // What else is owed: this heartbeat is still in the outbox while it is being sent.
                body.put("outbox", Math.max(0, outbox.size() - 1));
            }
            case "sync" -> body.put("sync_id", identity.lmsUuid() + "-" + entry.id());
            default -> {
                body.put("seq", entry.id());
                body.put("lms_uuid", identity.lmsUuid());
            }
        }
        return body.toString();
    }

    /** POST /api/lms/register with the management token; keeps the answer. False when the centre said no. */
    private boolean register() throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lms_uuid", identity.lmsUuid());
        body.put("name", settings.siteName());
        body.put("host", settings.siteHost());
        body.put("port", settings.sitePort());
        body.put("version", settings.version());
        CentreHttp.Answer answer = http.post("/api/lms/register", JSON.writeValueAsString(body),
                settings.registrationToken().orElse(null));
        JsonNode key = answer.data().path("api_key");
        if (!answer.ok() || !key.isTextual() || key.asText().isBlank()) {
            lastError = "registration with " + settings.centreBase() + " refused: " + answer.error();
            LOG.warn("[management-sync] {}", lastError);
            return false;
        }
        JsonNode lmsId = answer.data().path("lms_id");
        identity.registered(lmsId.isMissingNode() || lmsId.isNull() ? null : lmsId.asText(), key.asText());
        LOG.info("[management-sync] registered with {} as LMS {}", settings.centreBase(), identity.lmsId().orElse("?"));
        socket.reconnectNow();
        return true;
    }

    /** What {@code GET /api/management-sync/status} shows. */
    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("enabled", settings.enabled());
        status.put("role", settings.role());
        if (!settings.enabled()) {
            return status;
        }
        status.put("management_url", settings.centreBase());
        status.put("lms_uuid", identity.lmsUuid());
        status.put("lms_id", identity.lmsId().orElse(null));
        status.put("registered", identity.apiKey().isPresent());
        status.put("connected", socket != null && socket.connected());
        status.put("heartbeat_interval", settings.heartbeatInterval().toSeconds());
        Map<String, Object> owed = new LinkedHashMap<>();
        owed.put("size", outbox.size());
        owed.put("max", settings.outboxMax());
        owed.put("dropped", outbox.counter("dropped"));
        owed.put("rejected", outbox.counter("rejected"));
        owed.put("sent", outbox.counter("sent"));
        status.put("outbox", owed);
        status.put("last_sent_at", lastSentAt == null ? null : lastSentAt.toString());
        status.put("last_heartbeat_at", lastHeartbeatAt == null ? null : lastHeartbeatAt.toString());
        status.put("relayed", socket == null ? 0 : socket.relayed());
        status.put("drains_queued", drainsQueued());
        status.put("last_error", lastError);
        return status;
    }
}
