package org.classtop.api;

import java.time.Duration;

/**
 * Runs a plugin's periodic and delayed work. Injected into any class of the plugin; every task it
 * scheduled is cancelled when the plugin stops. Tasks run on a shared, bounded pool (never on the
 * timer thread), so a task that blocks delays only itself; a periodic task never overlaps itself (a
 * run still going when the next is due makes that next run be skipped). An exception is logged with
 * the plugin's id and the schedule goes on.
 */
public interface Scheduler {
    /** Runs {@code task} every {@code period}, the first time one period from now. */
    Registration every(Duration period, Runnable task);

    /** Runs {@code task} once, {@code delay} from now. */
    Registration after(Duration delay, Runnable task);
}
