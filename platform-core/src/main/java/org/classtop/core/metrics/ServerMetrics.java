package org.classtop.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.classtop.core.Main;
import org.classtop.core.clients.ClientDirectory;
import org.classtop.core.clients.ClientDirectory.ClientCounts;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.hub.AgentSessions;
import org.classtop.core.storage.PlatformDatabase;

/**
 * The server's figures for {@code GET /metrics} (SPEC section 8), in Prometheus text format: agents and clients
 * by status and agent version, commands by outcome and their round trip, the storage writer's queue and commit
 * times, HTTP answers by status, and the JVM. Recording is a counter increment or a histogram update; the client
 * counts are taken once per scrape, never per event.
 */
@Singleton
public final class ServerMetrics implements AutoCloseable {
    /** Outcomes as the command log names them. */
    private static final List<String> COMMAND_OUTCOMES = List.of("ok", "failed", "timeout", "offline", "error");
    /**
     * More distinct agent versions than this are summed as {@code other}: the most common are kept, so a few
     * hostile agents reporting random versions cannot push the real ones out, and the series stay bounded.
     */
    static final int MAX_AGENT_VERSIONS = 32;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ClientDirectory clients;
    private final Map<String, Counter> commandsByOutcome;
    private final Timer commandRoundTrip;
    private final Timer storageCommit;
    private final AtomicReferenceArray<Counter> httpByStatus = new AtomicReferenceArray<>(600);
    private final MultiGauge clientsByStatus;
    private final MultiGauge agentsByVersion;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    @Inject
    public ServerMetrics(ClientDirectory clients, AgentSessions sessions, PlatformDatabase database, ServerConfig config) {
        this.clients = clients;
        registry.config().commonTags("role", config.role().name().toLowerCase(java.util.Locale.ROOT));
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);

        Gauge.builder("classtop_agent_connections", sessions, AgentSessions::size)
                .description("Open agent WebSocket connections (approved or pending)").register(registry);
        clientsByStatus = MultiGauge.builder("classtop_clients")
                .description("Known clients by status: online, offline, pending (waiting for approval), rejected")
                .register(registry);
        agentsByVersion = MultiGauge.builder("classtop_agents_online_by_version")
                .description("Online agents by the agent_version they reported").register(registry);
        Gauge.builder("classtop_version", () -> 1).description("Always 1; the tag says the server's version")
                .tags("version", Main.VERSION).register(registry);

        Map<String, Counter> outcomes = new java.util.HashMap<>();
        for (String outcome : COMMAND_OUTCOMES) {
            outcomes.put(outcome, Counter.builder("classtop_commands").tag("outcome", outcome)
                    .description("Commands sent to agents, by outcome (ok, failed, timeout, offline, error)").register(registry));
        }
        commandsByOutcome = Map.copyOf(outcomes);
        commandRoundTrip = Timer.builder("classtop_command_round_trip")
                .description("From sending a command to the agent's answer (ok or failed; time-outs and disconnects are only counted)")
                .serviceLevelObjectives(ms(1), ms(2), ms(5), ms(10), ms(20), ms(50), ms(100), ms(250), ms(500),
                        ms(1000), ms(2500), ms(5000), ms(10_000), ms(30_000))
                .register(registry);

        Gauge.builder("classtop_storage_writer_queue", database, PlatformDatabase::pendingWrites)
                .description("Database writes queued or in the running transaction").register(registry);
        Gauge.builder("classtop_storage_writer_capacity", database, d -> d.queueCapacity())
                .description("Most database writes that may wait").register(registry);
        storageCommit = Timer.builder("classtop_storage_commit")
                .description("One write transaction of the storage writer, BEGIN to COMMIT")
                .serviceLevelObjectives(ms(1), ms(2), ms(5), ms(10), ms(20), ms(50), ms(100), ms(250), ms(1000))
                .register(registry);
        Counter storageWrites = Counter.builder("classtop_storage_writes")
                .description("Writes taken by committed transactions").register(registry);
        database.observeCommits((writes, nanos) -> {
            storageCommit.record(nanos, TimeUnit.NANOSECONDS);
            storageWrites.increment(writes);
        });
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    /**
     * A command ended: {@code outcome} as in the command log, {@code nanos} from sending to the outcome. Only
     * answers (ok, failed) go into the round-trip histogram: a time-out would put the whole timeout there and an
     * early disconnect nothing, and either would hide how fast agents actually answer; they are counted.
     */
    public void commandFinished(String outcome, long nanos) {
        count(outcome);
        if ("ok".equals(outcome) || "failed".equals(outcome)) {
            commandRoundTrip.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A command refused before it was sent: its client offline ({@code offline}), pending or too large ({@code error}). */
    public void commandNotSent(String outcome) {
        count(outcome);
    }

    private void count(String outcome) {
        Counter counter = commandsByOutcome.get(outcome);
        if (counter != null) {
            counter.increment();
        }
    }

    /** An HTTP answer went out (any path but the agents' and browsers' WebSockets). */
    public void httpAnswered(int status) {
        if (status < 100 || status >= 600) {
            return;
        }
        Counter counter = httpByStatus.get(status);
        if (counter == null) {
            counter = Counter.builder("classtop_http_requests").tag("status", Integer.toString(status))
                    .description("HTTP requests by answer status").register(registry);
            httpByStatus.compareAndSet(status, null, counter);
        }
        counter.increment();
    }

    /** The Prometheus text exposition of every figure, client counts taken now. */
    public String scrape() {
        refreshClientCounts();
        return registry.scrape();
    }

    /** The text format's content type, with its version. */
    public static String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    private synchronized void refreshClientCounts() {
        ClientCounts counts = clients.counts();
        List<MultiGauge.Row<?>> statusRows = new ArrayList<>();
        counts.byStatus().forEach((status, n) -> statusRows.add(MultiGauge.Row.of(Tags.of("status", status), n)));
        clientsByStatus.register(statusRows, true);
        List<MultiGauge.Row<?>> versionRows = new ArrayList<>();
        int other = 0;
        List<Map.Entry<String, Integer>> byCount = new ArrayList<>(counts.onlineByAgentVersion().entrySet());
        byCount.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        for (Map.Entry<String, Integer> e : byCount) {
            if (versionRows.size() < MAX_AGENT_VERSIONS && e.getKey().length() <= 64) {
                versionRows.add(MultiGauge.Row.of(Tags.of("agent_version", e.getKey()), e.getValue()));
            } else {
                other += e.getValue();
            }
        }
        if (other > 0) {
            versionRows.add(MultiGauge.Row.of(Tags.of("agent_version", "other"), other));
        }
        agentsByVersion.register(versionRows, true);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
