package org.classtop.plugins.cctv.recording.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.classtop.plugins.cctv.recording.Recording;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A separate JVM records a lavfi camera and is killed with SIGKILL ({@code Process.destroyForcibly}) mid-segment; the
 * next start finds every finished segment intact, playable and indexed, repairs the cut one into a playable indexed
 * segment (or drops it: never a broken file in the index), and resumes recording because the state said so.
 */
class KillWhileRecordingTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void afterKill9EveryFinishedSegmentIsIntactTheCutOneRepairedAndRecordingResumes() throws Exception {
        Path cam1 = dir.resolve("plugins-data/recordings/cam1");
        Path data = dir.resolve("plugins-data");
        Path log = dir.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RecordingProcess.class.getName(), data.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<String> finishedBeforeKill;
        Path cut;
        try {
            Poll.until("two segments are finished and a third is well under way", WAIT, () -> {
                assertTrue(child.isAlive(), "the recording process died: " + read(log));
                return files(cam1, ".mp4").size() >= 2 && files(cam1, ".mp4.part").stream()
                        .anyMatch(p -> size(cam1.resolve(p)) > 8_000);
            });
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no trailer, no rename
            child.waitFor();
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        finishedBeforeKill = files(cam1, ".mp4");
        List<String> parts = files(cam1, ".mp4.part");
        assertEquals(1, parts.size(), "the kill left the segment being written: " + parts);
        cut = cam1.resolve(parts.get(0));
        String cutName = parts.get(0).substring(0, parts.get(0).length() - ".part".length());

        try (Rig rig = new Rig(data).start()) {
            assertTrue(files(cam1, ".mp4.part").stream().noneMatch(p -> p.equals(parts.get(0))), "the .part is gone");
            assertFalse(Files.exists(cut));
            List<Recording> rows = rig.index.list("cam1", null, null, 100);
            Set<String> indexed = rows.stream().map(Recording::path).collect(Collectors.toSet());
            for (String name : finishedBeforeKill) {
                assertTrue(indexed.contains("cam1/" + name), name + " is indexed");
                Videos.Decoded video = Videos.decode(cam1.resolve(name));
                // the newest finished one may have been renamed an instant before its row was written: then the
                // start found it as an orphan and indexed it; either way it holds 2 s of frames
                assertTrue(video.frames() >= 17 && video.frames() <= 21, name + " has " + video.frames() + " frames");
            }
            assertTrue(Files.exists(cam1.resolve(cutName)), "the cut segment was readable, so it is repaired: " + read(log));
            assertTrue(indexed.contains("cam1/" + cutName));
            Videos.Decoded repaired = Videos.decode(cam1.resolve(cutName));
            assertTrue(repaired.frames() >= 5 && repaired.frames() < 21, "the cut segment keeps its flushed fragments: "
                    + repaired.frames());
            for (Recording row : rows) {
                assertEquals(Files.size(cam1.resolve(row.path().substring("cam1/".length()))), row.bytes(), row.path());
                assertTrue(Videos.decode(dir.resolve("plugins-data/recordings").resolve(row.path())).frames() > 0, row.path());
            }

            assertTrue(rig.recorders.isRecording("cam1"), "recording resumed from the persisted state");
            assertTrue(rig.agent.events().stream().anyMatch(e -> e.name().equals("recording_started")
                    && Boolean.TRUE.equals(e.data().get("resumed")) && e.data().get("segment_seconds").equals(2)));
            Poll.until("a new segment is finished after the restart", WAIT, () -> rig.agent.count("segment_finished") >= 1);
            rig.recorders.stopRecording("cam1");
        }
    }

    private static List<String> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
