package org.classtop.plugins.cctv.storage.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.classtop.plugins.cctv.recording.Recording;
import org.junit.jupiter.api.Test;

/** The plan alone, on made-up rows: which rule bites first, oldest first, and where it stops. */
class RetentionPlanTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    /** Ten 100-byte recordings, one a day, the oldest 10 days old. */
    private static List<Recording> rows() {
        List<Recording> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Instant start = NOW.minus(Duration.ofDays(10 - i));
            rows.add(new Recording(i + 1, "cam1", start, start.plusSeconds(60), 100, "cam1/" + i + ".mp4"));
        }
        return rows;
    }

    private static String plan(Retention retention, long free) {
        return RetentionPlan.plan(rows(), NOW, retention, free).stream()
                .map(v -> v.recording().id() + ":" + v.reason()).toList().toString();
    }

    @Test
    void eachRuleAloneDeletesTheOldestUntilItIsSatisfied() {
        assertEquals("[1:AGE, 2:AGE, 3:AGE]", plan(new Retention(7, 0, 0), 0), "older than 7 days: the first three");
        assertEquals("[1:SIZE, 2:SIZE, 3:SIZE, 4:SIZE]", plan(new Retention(0, 600, 0), 0), "1000 bytes down to 600");
        assertEquals("[1:FREE_SPACE, 2:FREE_SPACE]", plan(new Retention(0, 0, 1_200), 1_000), "200 bytes more free needed");
        assertEquals("[]", plan(new Retention(0, 0, 0), 0), "every rule off");
        assertEquals("[]", plan(new Retention(30, 1_000, 1_000), 1_000), "nothing bites");
    }

    @Test
    void whicheverBitesFirstAndEachDeletionCountsOnceUnderTheFirstRuleThatWantedIt() {
        // age wants 1-3, size (max 500) wants 1-5, free space (needs 350 more) wants 1-4
        assertEquals("[1:AGE, 2:AGE, 3:AGE, 4:SIZE, 5:SIZE]", plan(new Retention(7, 500, 1_350), 1_000));
        // free space wants more than the others
        assertEquals("[1:AGE, 2:AGE, 3:AGE, 4:SIZE, 5:FREE_SPACE, 6:FREE_SPACE]", plan(new Retention(7, 650, 1_550), 1_000));
        // more than every recording: all of them, and no further
        assertEquals(10, RetentionPlan.plan(rows(), NOW, new Retention(0, 0, Long.MAX_VALUE), 0).size());
    }
}
