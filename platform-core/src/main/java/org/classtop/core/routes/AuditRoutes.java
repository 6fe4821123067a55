package org.classtop.core.routes;

import jakarta.inject.Inject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;
import org.classtop.core.audit.AuditLog;
import org.classtop.core.storage.AuditLogRepository.AuditEntry;
import org.classtop.core.storage.AuditLogRepository.Filter;

/** The audit log of admin actions, newest first, filtered and paged. Admins only. */
final class AuditRoutes {
    private AuditRoutes() {
    }

    static final class Search implements RouteHandler {
        private final AuditLog audit;

        @Inject
        Search(AuditLog audit) {
            this.audit = audit;
        }

        @Override
        public Object handle(ApiRequest request) {
            Instant from = time(request, "from");
            Instant to = time(request, "to");
            if (from != null && to != null && !from.isBefore(to)) {
                throw ApiException.badRequest("The query parameter 'from' must be before 'to'.");
            }
            int limit = request.queryInt("limit", 100, 1, 1000);
            long before = request.queryLong("before", 0);
            if (before < 0) {
                throw ApiException.badRequest("The query parameter 'before' must be the id of a row (a positive whole number).");
            }
            Filter filter = new Filter(request.queryText("user").orElse(null), request.queryText("action").orElse(null), from, to,
                    before);
            List<AuditEntry> rows = audit.search(filter, limit);
            return rows.stream().map(Search::view).toList();
        }

        private static Instant time(ApiRequest request, String name) {
            String value = request.queryText(name).orElse(null);
            if (value == null) {
                return null;
            }
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("The query parameter '" + name + "' must be an ISO-8601 time in UTC such as "
                        + "2026-03-01T08:00:00Z, not '" + value + "'.");
            }
        }

        private static Map<String, Object> view(AuditEntry entry) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", entry.id());
            view.put("at", entry.at());
            view.put("user", entry.actor());
            view.put("auth", entry.auth());
            view.put("address", entry.address());
            view.put("method", entry.method());
            view.put("path", entry.path());
            view.put("plugin", entry.plugin());
            view.put("action", entry.action());
            view.put("status", entry.status());
            view.put("detail", entry.detail());
            return view;
        }
    }
}
