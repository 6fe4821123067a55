package org.classtop.core.audit;

import io.undertow.server.HttpServerExchange;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.classtop.api.server.Caller;
import org.classtop.api.server.HttpMethod;
import org.classtop.core.Timers;
import org.classtop.core.http.RouteDefinition;
import org.classtop.core.storage.AuditLogRepository;
import org.classtop.core.storage.AuditLogRepository.AuditEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log of admin actions: one row for every state-changing (non-GET) API request that a caller
 * authenticated for, with its outcome, plus every sign-in attempt (the name tried; the sign-in limiter
 * bounds them). A request nobody authenticated for is not recorded, so anonymous traffic cannot fill the
 * log. The row is kept when the answer's status is known, never written on the request's thread: rows
 * are gathered for up to {@value #FLUSH_MILLIS} ms (or {@value #FLUSH_ROWS} rows) and written as one
 * batch, so auditing 1,000 commands a second costs the storage writer a few writes, not 1,000. A crash
 * loses at most that last fraction of a second of rows; a clean stop writes them.
 */
@Singleton
public final class AuditLog implements AutoCloseable {
    static final long FLUSH_MILLIS = 250;
    static final int FLUSH_ROWS = 500;
    /** {@code auth} of a sign-in attempt, which has no caller yet. */
    public static final String BY_PASSWORD = "password";
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    private final AuditLogRepository repository;
    private final Timers timers;
    private final List<AuditEntry> waiting = new ArrayList<>();
    private boolean flushScheduled;
    private CompletableFuture<Void> lastQueued = CompletableFuture.completedFuture(null);

    @Inject
    public AuditLog(AuditLogRepository repository, Timers timers) {
        this.repository = repository;
        this.timers = timers;
    }

    /**
     * Starts the trail of a request to {@code route}; GET requests are not audited (null). The row is
     * queued as the answer is committed (its status then known), or when the exchange ends without one.
     */
    public AuditTrail begin(HttpServerExchange exchange, HttpMethod method, RouteDefinition route, Map<String, String> params) {
        if (method == HttpMethod.GET) {
            return null;
        }
        AuditTrail trail = new AuditTrail();
        params.forEach(trail::add);
        Instant at = Instant.now();
        String address = exchange.getSourceAddress() == null || exchange.getSourceAddress().getAddress() == null
                ? null : exchange.getSourceAddress().getAddress().getHostAddress();
        String path = exchange.getRequestPath();
        AtomicBoolean recorded = new AtomicBoolean();
        Runnable record = () -> {
            if (recorded.compareAndSet(false, true)) {
                record(trail, at, address, method, path, route, exchange.getStatusCode());
            }
        };
        exchange.addResponseCommitListener(ex -> record.run());
        exchange.addExchangeCompleteListener((ex, next) -> {
            try {
                record.run();
            } finally {
                next.proceed();
            }
        });
        return trail;
    }

    private void record(AuditTrail trail, Instant at, String address, HttpMethod method, String path,
                        RouteDefinition route, int status) {
        Caller caller = trail.caller();
        String actor;
        String how;
        if (caller != null) {
            actor = caller.name();
            how = trail.how();
        } else if (route.required() == null && (status < 300 || status == 401)) {
            actor = trail.actor(); // a sign-in attempt; 400s and 429s never checked a password
            how = BY_PASSWORD;
        } else {
            return;
        }
        AuditEntry entry = new AuditEntry(0, at, actor, how == null ? "unknown" : how, address, method.name(), path,
                route.owner(), method.name() + " " + route.template().text(), status, trail.details());
        boolean flushNow;
        synchronized (this) {
            waiting.add(entry);
            flushNow = waiting.size() >= FLUSH_ROWS;
            if (!flushNow && !flushScheduled) {
                flushScheduled = true;
                timers.schedule(this::flush, FLUSH_MILLIS);
            }
        }
        if (flushNow) {
            flush();
        }
    }

    /** Queues the rows gathered so far as one write (never blocks). */
    void flush() {
        List<AuditEntry> rows;
        CompletableFuture<Void> queued;
        synchronized (this) { // queue order and lastQueued agree (the queueing itself never blocks)
            flushScheduled = false;
            if (waiting.isEmpty()) {
                return;
            }
            rows = new ArrayList<>(waiting);
            waiting.clear();
            try {
                queued = repository.appendAll(rows).toCompletableFuture();
            } catch (RuntimeException e) {
                LOG.warn("Could not record {} rows in the audit log: {}", rows.size(), e.toString());
                return;
            }
            lastQueued = queued;
        }
        queued.exceptionally(e -> {
            LOG.warn("Could not record {} rows in the audit log: {}", rows.size(), e.toString());
            return null;
        });
    }

    /** Writes what is still gathered (at a clean stop, before the database closes). */
    @Override
    public void close() {
        flush();
    }

    /**
     * Newest first. Waits (briefly) for the rows queued so far to be committed, so a reader sees every
     * action answered before its request. Blocking: worker threads only.
     */
    public List<AuditEntry> search(AuditLogRepository.Filter filter, int limit) {
        flush();
        CompletableFuture<Void> written;
        synchronized (this) {
            written = lastQueued;
        }
        try {
            written.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // a failed or slow write: show what is there
        }
        return repository.search(filter, limit);
    }
}
