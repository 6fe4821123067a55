package org.classtop.plugins.clustermonitor;

import java.time.Instant;

/**
 * One restart of a channel and its outcome, as kept in the restart history.
 *
 * @param trigger     {@code manual} (through the API) or {@code watchdog}
 * @param requestedBy the caller's name, or {@code watchdog}
 * @param failedStep  {@code stop} or {@code start} when it failed, else null
 * @param stopStatus  the HTTP status the server answered to the stop (null: no answer)
 * @param startStatus the HTTP status of the start (null: no answer, or not sent)
 * @param errorCode   the API error code of a failure ({@code UPSTREAM_FAILED}, {@code UPSTREAM_TIMEOUT},
 *                    {@code UPSTREAM_UNREACHABLE}), else null
 * @param error       the sentence of a failure, else null
 */
public record RestartRecord(String id, String serverId, String serverName, String channelId, String trigger,
                            String requestedBy, Instant startedAt, Instant finishedAt, long durationMs, boolean success,
                            String failedStep, Integer stopStatus, Integer startStatus, String errorCode, String error) {
    public static final String MANUAL = "manual";
    public static final String WATCHDOG = "watchdog";
}
