package org.classtop.plugins.cctv.storage.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.classtop.plugins.cctv.recording.Recording;

/**
 * Which recordings a cleanup deletes: oldest first, each one while any rule still bites (age, then total size,
 * then free space), stopping at the first recording no rule wants gone. The free space is what the disk had
 * when the cleanup began plus what the planned deletions free.
 */
final class RetentionPlan {
    enum Reason { AGE, SIZE, FREE_SPACE }

    record Victim(Recording recording, Reason reason) {
    }

    private RetentionPlan() {
    }

    static List<Victim> plan(List<Recording> oldestFirst, Instant now, Retention retention, long freeBytes) {
        long total = oldestFirst.stream().mapToLong(Recording::bytes).sum();
        long free = freeBytes;
        Instant cutoff = retention.maxAgeDays() > 0 ? now.minus(Duration.ofDays(retention.maxAgeDays())) : null;
        List<Victim> victims = new ArrayList<>();
        for (Recording recording : oldestFirst) {
            Reason reason;
            if (cutoff != null && recording.end().isBefore(cutoff)) {
                reason = Reason.AGE;
            } else if (retention.maxTotalBytes() > 0 && total > retention.maxTotalBytes()) {
                reason = Reason.SIZE;
            } else if (retention.minFreeBytes() > 0 && free < retention.minFreeBytes()) {
                reason = Reason.FREE_SPACE;
            } else {
                break;
            }
            victims.add(new Victim(recording, reason));
            total -= recording.bytes();
            free += recording.bytes();
        }
        return victims;
    }
}
