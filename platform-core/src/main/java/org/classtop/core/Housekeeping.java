package org.classtop.core;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.auth.ApiTokenService;
import org.classtop.core.storage.AuditLogRepository;
import org.classtop.core.storage.CommandLogRepository;
import org.classtop.core.storage.ConnectionLogRepository;
import org.classtop.core.storage.EventLogRepository;
import org.classtop.core.storage.SessionRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the database from growing without end: once an hour, deletes command, connection, event and audit
 * log rows older than the retention ({@code --log-retention-days}, default 90), API tokens revoked or
 * expired longer ago than that, and expired sessions.
 */
@Singleton
public final class Housekeeping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    private static final long PERIOD_MILLIS = Duration.ofHours(1).toMillis();

    private final ServerConfig config;
    private final Timers timers;
    private final CommandLogRepository commands;
    private final ConnectionLogRepository connections;
    private final EventLogRepository events;
    private final SessionRepository sessions;
    private final AuditLogRepository audit;
    private final ApiTokenService apiTokens;
    private ScheduledFuture<?> task;

    @Inject
    public Housekeeping(ServerConfig config, Timers timers, CommandLogRepository commands,
                        ConnectionLogRepository connections, EventLogRepository events, SessionRepository sessions,
                        AuditLogRepository audit, ApiTokenService apiTokens) {
        this.config = config;
        this.timers = timers;
        this.commands = commands;
        this.connections = connections;
        this.events = events;
        this.sessions = sessions;
        this.audit = audit;
        this.apiTokens = apiTokens;
    }

    public void start() {
        timers.schedule(this::runOnce, 60_000);
        task = timers.every(this::runOnce, PERIOD_MILLIS);
    }

    /** Queues the deletions on the storage writer; never blocks the timer thread. */
    void runOnce() {
        Instant now = Instant.now();
        Instant cutoff = now.minus(Duration.ofDays(config.logRetentionDays()));
        commands.deleteOlderThan(cutoff).thenCombine(connections.deleteOlderThan(cutoff), Integer::sum)
                .thenCombine(events.deleteOlderThan(cutoff), Integer::sum)
                .thenCombine(audit.deleteOlderThan(cutoff), Integer::sum)
                .thenCombine(apiTokens.deleteEndedBefore(cutoff), Integer::sum)
                .thenCombine(sessions.deleteExpired(now), (logs, expired) -> {
                    if (logs > 0 || expired > 0) {
                        LOG.info("Housekeeping: deleted {} log rows and ended API tokens older than {} days and {} expired sessions",
                                logs, config.logRetentionDays(), expired);
                    }
                    return null;
                })
                .exceptionally(e -> {
                    LOG.warn("Housekeeping failed: {}", e.toString());
                    return null;
                });
    }

    @Override
    public void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
