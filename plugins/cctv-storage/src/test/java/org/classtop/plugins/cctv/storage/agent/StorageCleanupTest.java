package org.classtop.plugins.cctv.storage.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.classtop.api.Registration;
import org.classtop.testing.AgentFixtures;
import org.classtop.testing.Poll;
import org.classtop.plugins.cctv.recording.CctvFailure;
import org.classtop.plugins.cctv.recording.Recording;
import org.classtop.plugins.cctv.recording.RecordingIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cleanup on real segment files and cctv-recording's real SQLite index: each retention rule, progress, refusals. */
class StorageCleanupTest {
    @TempDir
    Path dir;

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    /** Segments of cam1 {@code daysAgo} old (one each), indexed by a first cleanup that deletes nothing. */
    private List<Path> segments(StorageRig rig, int... daysAgo) throws Exception {
        List<Path> files = new ArrayList<>();
        for (int days : daysAgo) {
            files.add(rig.recordings.segment("cam1", NOW.minus(Duration.ofDays(days)), 10));
        }
        return files;
    }

    private static Map<String, Object> off() {
        return Map.of("max_age_days", 0, "max_total_bytes", 0, "min_free_bytes", 0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> result, String name) {
        return (Map<String, Object>) result.get(name);
    }

    @Test
    void retentionByAgeDeletesWhatIsOlderThanTheLimitOldestFirst() throws Exception {
        try (StorageRig rig = new StorageRig(dir)) {
            List<Path> files = segments(rig, 40, 35, 20, 1);
            Map<String, Object> result = rig.cleanup(Map.of("max_total_bytes", 0, "min_free_bytes", 0)); // age: the configured 30 days
            assertEquals(2, result.get("deleted"));
            assertEquals(Map.of("age", 2, "size", 0, "free_space", 0), result.get("reasons"));
            assertEquals(4, section(result, "reconciled").get("orphans_indexed"), "the files were found and indexed first");
            assertEquals(Map.of("max_age_days", 30L, "max_total_bytes", 0L, "min_free_bytes", 0L), result.get("retention"));
            assertFalse(Files.exists(files.get(0)));
            assertFalse(Files.exists(files.get(1)));
            assertTrue(Files.exists(files.get(2)) && Files.exists(files.get(3)));
            assertEquals(2, rig.index().oldestFirst().size());
            assertEquals(Files.size(files.get(2)) + Files.size(files.get(3)),
                    rig.index().oldestFirst().stream().mapToLong(Recording::bytes).sum());

            Map<String, Object> stricter = rig.cleanup(Map.of("max_age_days", 7, "max_total_bytes", 0, "min_free_bytes", 0));
            assertEquals(Map.of("age", 1, "size", 0, "free_space", 0), stricter.get("reasons"));
            assertTrue(Files.exists(files.get(3)));
        }
    }

    @Test
    void retentionBySizeKeepsTheNewestThatFitUnderTheCap() throws Exception {
        try (StorageRig rig = new StorageRig(dir, Map.of("max_age_days", "0", "min_free_bytes", "0"), i -> i)) {
            List<Path> files = segments(rig, 5, 4, 3, 2, 1);
            long cap = Files.size(files.get(3)) + Files.size(files.get(4));
            long freed = Files.size(files.get(0)) + Files.size(files.get(1)) + Files.size(files.get(2));
            Map<String, Object> result = rig.cleanup(Map.of("max_total_bytes", cap));
            assertEquals(3, result.get("deleted"));
            assertEquals(Map.of("age", 0, "size", 3, "free_space", 0), result.get("reasons"));
            assertEquals(freed, result.get("freed_bytes"));
            for (int i = 0; i < 3; i++) {
                assertFalse(Files.exists(files.get(i)), files.get(i).toString());
            }
            assertTrue(Files.exists(files.get(3)) && Files.exists(files.get(4)));
            assertTrue(rig.index().oldestFirst().stream().mapToLong(Recording::bytes).sum() <= cap);
            assertEquals(0, rig.cleanup(Map.of("max_total_bytes", cap)).get("deleted"), "under the cap now");
        }
    }

    @Test
    void retentionByFreeSpaceMeasuresTheRealDisk() throws Exception {
        try (StorageRig rig = new StorageRig(dir)) {
            List<Path> files = segments(rig, 3, 2, 1);
            long free = Files.getFileStore(rig.index().root()).getUsableSpace();
            Map<String, Object> enough = rig.cleanup(Map.of("max_age_days", 0, "max_total_bytes", 0,
                    "min_free_bytes", Math.max(1, free / 2)));
            assertEquals(0, enough.get("deleted"), "half the free space is already free");
            long total = rig.index().oldestFirst().stream().mapToLong(Recording::bytes).sum();
            Map<String, Object> never = rig.cleanup(Map.of("max_age_days", 0, "max_total_bytes", 0,
                    "min_free_bytes", free + (1L << 40)));
            assertEquals(3, never.get("deleted"), "a terabyte more than the disk has: every recording goes, and no more");
            assertEquals(Map.of("age", 0, "size", 0, "free_space", 3), never.get("reasons"));
            assertEquals(total, never.get("freed_bytes"));
            files.forEach(f -> assertFalse(Files.exists(f)));
            assertEquals(1, section(never, "reconciled").get("folders_removed"), "cam1 is empty now");
        }
    }

    @Test
    void theSegmentBeingWrittenIsNeverTouched() throws Exception {
        try (StorageRig rig = new StorageRig(dir)) {
            segments(rig, 2, 1);
            Path part = rig.recordings.segment("cam1", NOW.minusSeconds(5), 10);
            Path writing = Files.move(part, part.resolveSibling(part.getFileName() + ".part"));
            rig.recordings.writing(writing);
            Map<String, Object> result = rig.cleanup(Map.of("max_age_days", 0, "max_total_bytes", 1, "min_free_bytes", Long.MAX_VALUE));
            assertEquals(2, result.get("deleted"));
            assertTrue(Files.exists(writing), "never the segment being written");
            assertEquals(2, section(result, "reconciled").get("orphans_indexed"), "the .part being written is not an orphan");
        }
    }

    @Test
    void progressAndTheResultGoOutAsEventsAndStorageInfoShowsThem() throws Exception {
        try (StorageRig rig = new StorageRig(dir)) {
            List<Path> files = segments(rig, 40, 39, 1);
            rig.recordings.segment("cam2", NOW.minus(Duration.ofDays(2)), 10);
            rig.cleanup(off()); // indexes them
            Map<String, Object> info = rig.info();
            assertEquals(rig.index().root().toString(), info.get("root"));
            assertTrue((long) info.get("free_bytes") > 0 && (long) info.get("total_bytes") >= (long) info.get("free_bytes"));
            assertEquals(4L, info.get("recordings_count"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> perCamera = (List<Map<String, Object>>) info.get("per_camera");
            assertEquals(List.of("cam1", "cam2"), perCamera.stream().map(c -> c.get("camera_id")).toList());
            long cam1Bytes = 0;
            for (Path f : files) {
                cam1Bytes += Files.size(f);
            }
            assertEquals(cam1Bytes, perCamera.get(0).get("bytes"));
            assertEquals(3L, perCamera.get(0).get("count"));
            assertEquals(NOW.minus(Duration.ofDays(40)).toString(), perCamera.get(0).get("oldest"));
            assertEquals(NOW.minus(Duration.ofDays(1)).toString(), perCamera.get(0).get("newest"));
            assertEquals(Map.of("max_age_days", 30L, "max_total_bytes", 0L, "min_free_bytes", 1L << 30), info.get("retention"));

            rig.agent.events().clear();
            Map<String, Object> result = rig.cleanup(Map.of("min_free_bytes", 0));
            assertEquals(2, result.get("deleted"));
            List<AgentFixtures.Emitted> progress = rig.events("cleanup_progress");
            assertFalse(progress.isEmpty());
            assertEquals(Map.of("done", 2, "total", 2, "freed_bytes", result.get("freed_bytes")), progress.get(progress.size() - 1).data());
            List<Object> ids = new ArrayList<>();
            rig.events("recording_deleted").forEach(e -> ids.addAll((List<?>) e.data().get("ids")));
            assertEquals(2, ids.size());
            assertEquals(List.of(result), rig.events("cleanup_finished").stream().map(AgentFixtures.Emitted::data).toList());
            @SuppressWarnings("unchecked")
            Map<String, Object> cleanup = (Map<String, Object>) rig.info().get("cleanup");
            assertEquals(false, cleanup.get("running"));
            assertEquals(result, cleanup.get("last_result"));
            assertEquals(result.get("started_at"), cleanup.get("last_run_at"));
        }
    }

    @Test
    void theScheduledCleanupRunsEveryTenMinutesWithTheConfiguredRetention() throws Exception {
        try (StorageRig rig = new StorageRig(dir, Map.of("max_total_bytes", "1", "min_free_bytes", "0"), i -> i)) {
            segments(rig, 2, 1);
            assertEquals(1, rig.scheduled.size());
            assertEquals(Duration.ofMinutes(10), rig.scheduled.get(0).period());
            rig.scheduled.get(0).task().run(); // starts the cleanup on its own thread, does not wait for it
            Poll.until("the scheduled cleanup finished", Duration.ofSeconds(60), () -> !rig.events("cleanup_finished").isEmpty());
            Map<String, Object> result = rig.events("cleanup_finished").get(0).data();
            assertEquals(Map.of("age", 0, "size", 2, "free_space", 0), result.get("reasons"));
        }
        try (StorageRig rig = new StorageRig(dir.resolve("b"), Map.of("cleanup_interval", "0"), i -> i)) {
            assertTrue(rig.scheduled.isEmpty(), "0 switches the scheduled cleanup off");
        }
    }

    @Test
    void aFinishedSegmentThatLeavesTooLittleFreeSpaceStartsACleanupAtOnce() throws Exception {
        // more free space wanted than any disk has: the first finished segment must start a cleanup without the schedule
        try (StorageRig rig = new StorageRig(dir, Map.of("max_age_days", "0", "min_free_bytes", String.valueOf(1L << 60)), i -> i)) {
            Recording row = rig.recordings.finished("cam1", NOW.minus(Duration.ofMinutes(5)), 10);
            Poll.until("a cleanup after the segment", Duration.ofSeconds(60), () -> !rig.events("cleanup_finished").isEmpty());
            Map<String, Object> result = rig.events("cleanup_finished").get(0).data();
            assertEquals(Map.of("age", 0, "size", 0, "free_space", 1), result.get("reasons"), result::toString);
            assertTrue(rig.index().get(row.id()).isEmpty());
            assertTrue(rig.scheduled.size() == 1, "the scheduled task was not what ran it");
        }
        try (StorageRig rig = new StorageRig(dir.resolve("b"), Map.of("max_age_days", "0", "min_free_bytes", "1"), i -> i)) {
            Recording row = rig.recordings.finished("cam1", NOW.minus(Duration.ofMinutes(5)), 10);
            assertTrue(rig.events("cleanup_finished").isEmpty() && rig.cleaner.runningSince() == null,
                    "enough free space: no cleanup");
            assertTrue(rig.index().get(row.id()).isPresent());
        }
    }

    @Test
    void aSecondCleanupWhileOneRunsIsRefusedAsBusy() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (StorageRig rig = new StorageRig(dir, Map.of(), index -> new SlowIndex(index, entered, release))) {
            segments(rig, 1);
            CompletableFuture<Map<String, Object>> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return rig.cleanup(off());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(entered.await(30, TimeUnit.SECONDS));
            CctvFailure busy = assertThrows(CctvFailure.class, () -> rig.cleanup(off()));
            assertEquals("RECORDING_BUSY", busy.code());
            assertTrue(busy.getMessage().startsWith("A storage cleanup is already running (since "), busy.getMessage());
            assertTrue(busy.getMessage().endsWith("); its result comes as the event cctv-storage.cleanup_finished."));
            @SuppressWarnings("unchecked")
            Map<String, Object> cleanup = (Map<String, Object>) rig.info().get("cleanup");
            assertEquals(true, cleanup.get("running"));
            release.countDown();
            assertEquals(1, section(first.get(30, TimeUnit.SECONDS), "reconciled").get("orphans_indexed"));
            assertEquals(0, rig.cleanup(off()).get("deleted"), "free again once it finished");
        }
    }

    @Test
    void badParametersEachGetTheirSentence() throws Exception {
        try (StorageRig rig = new StorageRig(dir)) {
            assertEquals("The parameter 'max_age_days' must be a whole number from 0 (no limit) to 36500, not '-1'.",
                    refusal(rig, Map.of("max_age_days", -1)));
            assertEquals("The parameter 'max_total_bytes' must be a whole number from 0 (no limit) to 9223372036854775807, not 'lots'.",
                    refusal(rig, Map.of("max_total_bytes", "lots")));
            assertEquals("The parameter 'min_free_bytes' must be a whole number from 0 (no limit) to 9223372036854775807, not '1.5'.",
                    refusal(rig, Map.of("min_free_bytes", 1.5)));
            assertTrue(rig.events("cleanup_finished").isEmpty(), "a refused cleanup does not run");
        }
    }

    @Test
    void aBadSettingFailsThePluginWithASentence() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new StorageRig(dir, Map.of("max_age_days", "a month"), i -> i));
        assertEquals("The setting cctv-storage.max_age_days is 'a month'; it must be a whole number, e.g. 30.", bad.getMessage());
    }

    private static String refusal(StorageRig rig, Map<String, Object> params) {
        CctvFailure failure = assertThrows(CctvFailure.class, () -> rig.cleanup(params));
        assertEquals("BAD_PARAMS", failure.code());
        return failure.getMessage();
    }

    /** cctv-recording's index, with a reconciliation that waits to be released: a cleanup that takes long. */
    private record SlowIndex(RecordingIndex index, CountDownLatch entered, CountDownLatch release) implements RecordingIndex {
        @Override
        public Reconciliation reconcile() throws IOException {
            entered.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return index.reconcile();
        }

        @Override
        public Path root() {
            return index.root();
        }

        @Override
        public List<Recording> list(String cameraId, Instant from, Instant to, int limit) {
            return index.list(cameraId, from, to, limit);
        }

        @Override
        public List<Recording> oldestFirst() {
            return index.oldestFirst();
        }

        @Override
        public Optional<Recording> get(long id) {
            return index.get(id);
        }

        @Override
        public Path fileOf(Recording recording) throws IOException {
            return index.fileOf(recording);
        }

        @Override
        public Optional<Recording> delete(long id) throws IOException {
            return index.delete(id);
        }

        @Override
        public List<CameraUsage> usage() {
            return index.usage();
        }

        @Override
        public Registration onSegmentAdded(Consumer<Recording> listener) {
            return index.onSegmentAdded(listener);
        }
    }
}
