package org.classtop.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dual mode's HTTP side ({@code --connection-mode both}): registers this client with the management
 * server ({@code POST /api/clients/register} with {@code --management-token}; the {@code client_key} it
 * answers is kept in {@code management.json} of the data folder, owner-only) and then sends
 * {@code POST /api/sync} every {@code --sync-interval} with the data of the plugins' sync providers.
 *
 * <p>A sync that fails (centre down, 5xx, a network error) is simply tried again at the next interval with the
 * data of that moment: the providers' data is a snapshot of the client's state, so nothing is lost. Each body
 * carries a {@code sync_id}; it stays the same while the data does not change, so a retry of a sync the
 * centre stored but whose answer was lost is stored once. A 401 means the key was revoked: the client
 * registers again (once per run) and retries.
 */
final class ManagementSync {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementSync.class);
    static final String FILE_NAME = "management.json";
    /** Longest answer read from the centre; more is a broken or hostile server. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** What the last run did, for logs, tests and a status line. */
    record Outcome(boolean success, int httpStatus, String syncId, String error, Instant at) {
    }

    private final AgentConfig config;
    private final String base;
    private final Supplier<String> clientUuid;
    private final SyncSections sections;
    private final HttpClient http;
    private final ScheduledExecutorService executor;
    private final Path file;

    private String clientKey;
    private String lastContent;
    private String lastSyncId;
    private volatile Outcome lastOutcome;
    private long succeeded;
    /** Set when the centre refused this client for good (it holds a key this agent lost): no more tries this run. */
    private volatile String permanentFailure;
    private volatile ScheduledFuture<?> schedule;

    ManagementSync(AgentConfig config, Supplier<String> clientUuid, SyncSections sections, HttpClient http,
                   ScheduledExecutorService executor) {
        this.config = config;
        this.base = config.managementHttpBase().orElseThrow(() ->
                new IllegalArgumentException("The dual mode needs --management-url."));
        this.clientUuid = clientUuid;
        this.sections = sections;
        this.http = http;
        this.executor = executor;
        this.file = config.dataDir().resolve(FILE_NAME);
    }

    /** Reads the kept client key and starts syncing now, then every interval. */
    synchronized void start() throws IOException {
        load();
        long period = config.syncInterval().toMillis();
        schedule = executor.scheduleWithFixedDelay(this::runSafely, 0, period, TimeUnit.MILLISECONDS);
        LOG.info("Syncing with the management server {} every {} s", base, config.syncInterval().toSeconds());
    }

    /** Stops the schedule; not waiting for a sync under way (closing the executor interrupts its HTTP call). */
    void stop() {
        ScheduledFuture<?> current = schedule;
        if (current != null) {
            current.cancel(true);
        }
    }

    Outcome lastOutcome() {
        return lastOutcome;
    }

    synchronized long succeeded() {
        return succeeded;
    }

    private void runSafely() {
        try {
            syncNow();
        } catch (RuntimeException e) {
            LOG.warn("Sync with the management server failed; trying again in {} s: {}",
                    config.syncInterval().toSeconds(), e.toString());
        }
    }

    /** One sync: registers first when no key is kept, re-registers once on 401. */
    synchronized Outcome syncNow() {
        Map<String, Object> data = sections.compose();
        String content = Json.write(data);
        if (lastSyncId == null || !content.equals(lastContent)) {
            lastSyncId = UUID.randomUUID().toString();
            lastContent = content;
        }
        Outcome outcome;
        if (permanentFailure != null) {
            lastOutcome = new Outcome(false, 409, lastSyncId, permanentFailure, Instant.now());
            return lastOutcome;
        }
        try {
            if (clientKey == null) {
                register();
            }
            Answer answer = post("/api/sync", body(data), bearer());
            if (answer.status == 401 && config.registrationToken().isPresent()) {
                LOG.info("The management server refused the client key; registering again");
                clientKey = null;
                register();
                answer = post("/api/sync", body(data), bearer());
            }
            outcome = answer.ok()
                    ? new Outcome(true, answer.status, lastSyncId, null, Instant.now())
                    : new Outcome(false, answer.status, lastSyncId, answer.error(), Instant.now());
        } catch (IOException e) {
            outcome = new Outcome(false, 0, lastSyncId, "cannot reach " + base + ": " + e, Instant.now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = new Outcome(false, 0, lastSyncId, "interrupted", Instant.now());
        } catch (RegistrationFailed e) {
            outcome = new Outcome(false, e.status, lastSyncId, e.getMessage(), Instant.now());
        }
        if (outcome.success()) {
            succeeded++;
            LOG.debug("Synced with the management server (sync_id {})", outcome.syncId());
        } else {
            LOG.warn("Sync with the management server failed (HTTP {}): {}; trying again in {} s", outcome.httpStatus(),
                    outcome.error(), config.syncInterval().toSeconds());
        }
        lastOutcome = outcome;
        return outcome;
    }

    private Map<String, Object> body(Map<String, Object> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_uuid", clientUuid.get());
        // Only the sections plugins provided: one nobody provides, one that failed or had nothing to say (null) is
        // left out, never sent empty, so the centre keeps what was synced before.
        body.putAll(data);
        body.put("timestamp", Instant.now().toString());
        body.put("sync_id", lastSyncId);
        return body;
    }

    private String bearer() {
        return clientKey != null && !clientKey.isEmpty() ? clientKey : config.registrationToken().orElse(null);
    }

    private void register() throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("uuid", clientUuid.get());
        body.put("name", config.name());
        // The agent has no API of its own: it is reached for control through its LMS.
        body.put("api_url", config.serverUrl().toString());
        Answer answer = post("/api/clients/register", body, config.registrationToken().orElse(null));
        if (answer.status == 409 && "CLIENT_ALREADY_REGISTERED".equals(answer.json.path("code").asText())) {
            // Retrying cannot help: an enrolment token never re-keys a client that has a key (else any holder of
            // one could take over any client). Said once, loudly, with what to do.
            permanentFailure = "the management server already holds a client key for this client and this agent no "
                    + "longer has it (" + file + "). Ask an admin to register the client again, or start the agent once "
                    + "with --management-token set to the management server's admin token; syncing stops until then.";
            LOG.error("Syncing with the management server {} stopped for good: {}", base, permanentFailure);
            throw new RegistrationFailed(answer.status, permanentFailure);
        }
        if (!answer.ok()) {
            throw new RegistrationFailed(answer.status, "registration refused: " + answer.error());
        }
        JsonNode key = answer.data().path("client_key");
        // A centre that registers without issuing a key (LMS-held clients) is synced with the registration token.
        clientKey = key.isTextual() ? key.asText() : "";
        save();
        LOG.info("Registered with the management server {}", base);
    }

    private record Answer(int status, JsonNode json) {
        boolean ok() {
            return status / 100 == 2 && json.path("success").asBoolean(true);
        }

        JsonNode data() {
            return json.path("data");
        }

        String error() {
            String sentence = json.path("error").asText("");
            String code = json.path("code").asText("");
            return (sentence.isEmpty() ? "HTTP " + status : sentence) + (code.isEmpty() ? "" : " (" + code + ")");
        }
    }

    private static final class RegistrationFailed extends RuntimeException {
        final int status;

        RegistrationFailed(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private Answer post(String path, Object body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] bytes;
        try (InputStream in = response.body()) {
            bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
        }
        if (bytes.length > MAX_ANSWER_BYTES) {
            throw new IOException("the answer to " + path + " is larger than " + MAX_ANSWER_BYTES + " bytes");
        }
        JsonNode json;
        try {
            json = bytes.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            json = Json.MAPPER.createObjectNode();
        }
        return new Answer(response.statusCode(), json == null ? Json.MAPPER.createObjectNode() : json);
    }

    private void load() throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        JsonNode stored = Json.MAPPER.readTree(file.toFile());
        // A key belongs to one centre: a changed --management-url registers again.
        if (stored != null && base.equals(stored.path("management_url").asText(null)) && stored.path("client_key").isTextual()) {
            clientKey = stored.path("client_key").asText();
        }
    }

    private void save() throws IOException {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("management_url", base);
        node.put("client_key", Objects.requireNonNullElse(clientKey, ""));
        AtomicFiles.write(file, Json.MAPPER.writeValueAsBytes(node), true);
    }
}
