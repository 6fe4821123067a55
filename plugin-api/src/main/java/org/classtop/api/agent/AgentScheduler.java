package org.classtop.api.agent;

import java.time.Duration;
import org.classtop.api.Registration;

/**
 * Runs a plugin's periodic and delayed tasks on the agent's plugin task threads (not the connection's).
 * Injectable; every task still scheduled is cancelled when the plugin stops. A task that throws is
 * logged; a periodic one runs again at its next turn.
 *
 * <pre>{@code
 * Registration poll = scheduler.every(Duration.ofSeconds(10), this::pollCameras);
 * scheduler.after(Duration.ofMinutes(1), this::cleanUp);
 * }</pre>
 */
public interface AgentScheduler {
    /** Runs {@code task} every {@code period} (fixed delay, the first run after one period). */
    Registration every(Duration period, Runnable task);

    /** Runs {@code task} once after {@code delay}. */
    Registration after(Duration delay, Runnable task);
}
