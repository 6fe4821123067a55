package org.classtop.plugins.cctv.storage.agent;

import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.classtop.api.Lifecycle;
import org.classtop.api.Registration;
import org.classtop.api.Scheduler;
import org.classtop.api.agent.AgentContext;
import org.classtop.plugins.cctv.recording.CctvFailure;
import org.classtop.plugins.cctv.recording.RecordingIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs cleanups, one at a time, on its own thread: reconciliation of index and disk, then retention
 * ({@link RetentionPlan}). Scheduled every {@code cleanup_interval}, after a finished segment leaves less than {@code min_free_bytes}
 * usable, and on demand; asked while one runs, it refuses
 * with RECORDING_BUSY (a scheduled run that finds one running is skipped). Progress goes out as
 * {@code cctv-storage.cleanup_progress}, the deleted ids as {@code recording_deleted}, the result as
 * {@code cleanup_finished}.
 */
final class Cleaner implements Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Cleaner.class);
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final RecordingIndex index;
    private final AgentContext agent;
    private final StorageSettings settings;
    private final Scheduler scheduler;
    private final Clock clock;
    private final AtomicReference<Instant> running = new AtomicReference<>();
    private volatile Instant lastRunAt;
    private volatile Map<String, Object> lastResult;
    private ExecutorService executor;
    private Registration schedule;
    private Registration segmentAdded;

    @Inject
    Cleaner(RecordingIndex index, AgentContext agent, StorageSettings settings, Scheduler scheduler) {
        this(index, agent, settings, scheduler, Clock.systemUTC());
    }

    Cleaner(RecordingIndex index, AgentContext agent, StorageSettings settings, Scheduler scheduler, Clock clock) {
        this.index = index;
        this.agent = agent;
        this.settings = settings;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        settings.retention(); // a bad setting fails the plugin with its sentence
        Duration interval = settings.cleanupInterval();
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cctv-storage-cleanup");
            t.setDaemon(true);
            return t;
        });
        if (!interval.isZero()) {
            schedule = scheduler.every(interval, this::scheduled);
        }
        segmentAdded = index.onSegmentAdded(row -> checkFreeSpace());
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        if (schedule != null) {
            schedule.close();
        }
        if (segmentAdded != null) {
            segmentAdded.close();
        }
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /** On the agent's shared scheduler: only starts the cleanup (its own thread runs it), never waits for it. */
    private void scheduled() {
        try {
            launch(settings.retention());
        } catch (CctvFailure busy) {
            LOG.info("[cctv-storage] scheduled cleanup skipped: {}", busy.getMessage());
        }
    }

    /**
     * After each finished segment (on the recorder's thread, so only a cheap look at the disk): when less than
     * {@code min_free_bytes} is usable, a cleanup starts at once instead of at the next scheduled run. Never two at once.
     */
    void checkFreeSpace() {
        if (running.get() != null) {
            return;
        }
        Retention retention;
        long usable;
        try {
            retention = settings.retention();
            if (retention.minFreeBytes() <= 0) {
                return;
            }
            usable = Files.getFileStore(index.root()).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            LOG.warn("[cctv-storage] could not check the free space: {}", e.getMessage());
            return;
        }
        if (usable < retention.minFreeBytes()) {
            try {
                launch(retention);
                LOG.info("[cctv-storage] {} bytes usable, below min_free_bytes {}: cleanup started", usable, retention.minFreeBytes());
            } catch (CctvFailure busy) {
                // one is running (or the plugin stops): it frees the space
            }
        }
    }

    /**
     * Starts a cleanup on the cleanup thread.
     *
     * @throws CctvFailure RECORDING_BUSY when one is running
     */
    CompletableFuture<Map<String, Object>> launch(Retention retention) {
        Instant now = clock.instant();
        if (!running.compareAndSet(null, now)) {
            throw new CctvFailure("RECORDING_BUSY", "A storage cleanup is already running (since " + running.get()
                    + "); its result comes as the event cctv-storage.cleanup_finished.");
        }
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return run(retention, now);
                } finally {
                    running.set(null);
                }
            }, executor);
        } catch (RuntimeException e) {
            running.set(null);
            throw new CctvFailure("RECORDING_BUSY", "The storage cleanup cannot run now: the plugin is stopping.");
        }
    }

    Instant runningSince() {
        return running.get();
    }

    Instant lastRunAt() {
        return lastRunAt;
    }

    Map<String, Object> lastResult() {
        return lastResult;
    }

    private Map<String, Object> run(Retention retention, Instant startedAt) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("started_at", startedAt.toString());
        result.put("retention", retention.toJson());
        try {
            RecordingIndex.Reconciliation reconciled = index.reconcile();
            FileStore store = Files.getFileStore(index.root());
            List<RetentionPlan.Victim> plan = RetentionPlan.plan(index.oldestFirst(), clock.instant(), retention,
                    store.getUsableSpace());
            Map<RetentionPlan.Reason, Integer> reasons = new EnumMap<>(RetentionPlan.Reason.class);
            for (RetentionPlan.Reason reason : RetentionPlan.Reason.values()) {
                reasons.put(reason, 0);
            }
            long freed = 0;
            int deleted = 0;
            int failed = 0;
            List<Long> ids = new ArrayList<>();
            long lastProgress = System.nanoTime();
            for (int i = 0; i < plan.size(); i++) {
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
                RetentionPlan.Victim victim = plan.get(i);
                try {
                    if (index.delete(victim.recording().id()).isPresent()) {
                        deleted++;
                        freed += victim.recording().bytes();
                        reasons.merge(victim.reason(), 1, Integer::sum);
                        ids.add(victim.recording().id());
                    }
                } catch (IOException | RuntimeException e) {
                    failed++;
                    LOG.warn("[cctv-storage] could not delete recording {} ({}): {}", victim.recording().id(),
                            victim.recording().path(), e.getMessage());
                }
                boolean last = i == plan.size() - 1;
                if (last || System.nanoTime() - lastProgress > PROGRESS_EVERY_NANOS || ids.size() >= 200) {
                    lastProgress = System.nanoTime();
                    agent.emit("cleanup_progress", Map.of("done", i + 1, "total", plan.size(), "freed_bytes", freed));
                    if (!ids.isEmpty()) {
                        agent.emit("recording_deleted", Map.of("ids", List.copyOf(ids)));
                        ids.clear();
                    }
                }
            }
            if (deleted > 0) {
                reconciled = reconciled.plus(index.reconcile()); // the folders the deletions emptied
            }
            result.put("deleted", deleted);
            result.put("freed_bytes", freed);
            result.put("failed", failed);
            Map<String, Object> why = new LinkedHashMap<>();
            why.put("age", reasons.get(RetentionPlan.Reason.AGE));
            why.put("size", reasons.get(RetentionPlan.Reason.SIZE));
            why.put("free_space", reasons.get(RetentionPlan.Reason.FREE_SPACE));
            result.put("reasons", why);
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("orphans_indexed", reconciled.orphansIndexed());
            rec.put("orphans_removed", reconciled.orphansRemoved());
            rec.put("rows_dropped", reconciled.rowsDropped());
            rec.put("folders_removed", reconciled.foldersRemoved());
            result.put("reconciled", rec);
        } catch (IOException | RuntimeException e) {
            LOG.warn("[cctv-storage] cleanup failed", e);
            result.put("error", "The storage cleanup failed: " + e.getMessage());
        }
        result.put("finished_at", clock.instant().toString());
        lastRunAt = startedAt;
        lastResult = result;
        agent.emit("cleanup_finished", result);
        return result;
    }
}
