package org.classtop.plugins.cctv.recording.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.classtop.plugins.cctv.recording.Recording;
import org.classtop.plugins.cctv.recording.RecordingIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Index and disk made to agree: each kind of disagreement a crash or a person leaves behind. */
class ReconciliationTest {
    @TempDir
    Path dir;

    @Test
    void orphansAreIndexedOrRemovedRowsWithoutFilesDroppedEmptyFoldersRemoved() throws Exception {
        Path root = dir.resolve("videos");
        Rig rig = new Rig(dir, new LavfiCameraFeeds(), Map.of("recordings_root", root.toString()));
        try {
            Path cam9 = Files.createDirectories(root.resolve("cam9"));
            Path validOrphan = cam9.resolve("cam9_20261101T000000Z.mp4");
            Videos.make(validOrphan, 40);
            Path brokenOrphan = Files.write(cam9.resolve("cam9_20261101T000100Z.mp4"), noise(30_000));
            Path whole = dir.resolve("whole.mp4");
            Videos.make(whole, 40);
            Path crashedPart = cam9.resolve("cam9_20261101T000200Z.mp4.part");
            Videos.copyHead(whole, crashedPart, 0.6); // a segment cut off by a crash, mid-fragment
            Path brokenPart = Files.write(cam9.resolve("cam9_20261101T000300Z.mp4.part"), noise(5_000));
            Path writing = cam9.resolve("cam9_20261101T000400Z.mp4.part");
            Videos.copyHead(whole, writing, 0.3);
            rig.active.begin(writing); // being written right now: never touched
            Path leftover = Files.write(cam9.resolve("cam9_20261101T000500Z.mp4.tmp"), noise(100));
            Path notOurs = Files.writeString(cam9.resolve("notes.txt"), "the caretaker's notes");
            Path gone = cam9.resolve("cam9_20261101T000600Z.mp4");
            Videos.make(gone, 10);
            Recording goneRow = rig.index.add("cam9", Instant.parse("2026-11-01T00:06:00Z"), Instant.parse("2026-11-01T00:06:01Z"),
                    Files.size(gone), gone);
            Files.delete(gone);
            Path empty = Files.createDirectories(root.resolve("cam8"));

            RecordingIndex.Reconciliation result = rig.index.reconcile();
            assertEquals(new RecordingIndex.Reconciliation(2, 2, 1, 1), result);

            assertTrue(rig.index.get(goneRow.id()).isEmpty(), "the row without a file is dropped");
            assertFalse(Files.exists(brokenOrphan));
            assertFalse(Files.exists(brokenPart));
            assertFalse(Files.exists(crashedPart), "the .part is repaired into its .mp4");
            assertFalse(Files.exists(leftover));
            assertFalse(Files.exists(empty));
            assertTrue(Files.exists(writing), "the segment being written is left alone");
            assertEquals("the caretaker's notes", Files.readString(notOurs));

            List<Recording> rows = rig.index.oldestFirst();
            assertEquals(List.of("cam9/cam9_20261101T000000Z.mp4", "cam9/cam9_20261101T000200Z.mp4"),
                    rows.stream().map(Recording::path).toList());
            Recording orphan = rows.get(0);
            assertEquals(Instant.parse("2026-11-01T00:00:00Z"), orphan.start(), "the start comes from the name");
            assertEquals(4000, Duration.between(orphan.start(), orphan.end()).toMillis(), 150, "40 frames at 10 fps");
            assertEquals(Files.size(validOrphan), orphan.bytes());
            assertEquals(40, Videos.decode(validOrphan).frames());

            Path repaired = root.resolve(rows.get(1).path());
            Videos.Decoded decoded = Videos.decode(repaired);
            assertTrue(decoded.frames() >= 10 && decoded.frames() < 40, "the fragments before the cut: " + decoded.frames());
            int probed = Videos.ffprobeFrames(repaired);
            assertTrue(probed == -1 || probed == decoded.frames(), "ffprobe reads " + probed);
            assertEquals(Files.size(repaired), rows.get(1).bytes());

            assertEquals(new RecordingIndex.Reconciliation(0, 0, 0, 0), rig.index.reconcile(), "a second pass finds nothing");
        } finally {
            rig.close();
        }
    }

    private static byte[] noise(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }
}
