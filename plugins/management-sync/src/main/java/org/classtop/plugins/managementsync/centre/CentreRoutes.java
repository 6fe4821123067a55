package org.classtop.plugins.managementsync.centre;

import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.ClientInfo;
import org.classtop.api.server.Clients;
import org.classtop.api.server.RouteHandler;

/** The centre's route handlers (SPEC section 3, "Management role", and the management UI's reads). */
public final class CentreRoutes {
    private CentreRoutes() {
    }

    /** {@code POST /api/lms/register}. */
    public static final class Register implements RouteHandler {
        private final Centre centre;
        private final Principals principals;

        @Inject
        Register(Centre centre, Principals principals) {
            this.centre = centre;
            this.principals = principals;
        }

        @Override
        public Object handle(ApiRequest request) {
            centre.requireCentre();
            return centre.register(principals.of(request), request.bodyAsMap());
        }
    }

    /** {@code POST /api/lms/heartbeat}. */
    public static final class Heartbeat implements RouteHandler {
        private final Centre centre;
        private final Principals principals;

        @Inject
        Heartbeat(Centre centre, Principals principals) {
            this.centre = centre;
            this.principals = principals;
        }

        @Override
        public Object handle(ApiRequest request) {
            centre.requireCentre();
            Principals.Principal who = principals.of(request);
            return centre.heartbeat(who, request.bodyAsMap());
        }
    }

    /** {@code GET /api/lms}: every LMS with its status computed from its heartbeats. */
    public static final class ListSites implements RouteHandler {
        private final Centre centre;

        @Inject
        ListSites(Centre centre) {
            this.centre = centre;
        }

        @Override
        public Object handle(ApiRequest request) {
            centre.requireCentre();
            long now = System.currentTimeMillis();
            return centre.sites.sites().stream()
                    .sorted(Comparator.comparing((Sites.Site s) -> s.name == null ? "" : s.name.toLowerCase(Locale.ROOT)).thenComparing(s -> s.id))
                    .map(s -> Views.site(s, now, centre.settings.offlineAfterIntervals, centre.connected(s))).toList();
        }
    }

    /** {@code GET /api/lms/{lms_id}}: one LMS and its latest heartbeats. */
    public static final class GetSite implements RouteHandler {
        private final Centre centre;

        @Inject
        GetSite(Centre centre) {
            this.centre = centre;
        }

        @Override
        public Object handle(ApiRequest request) throws SQLException {
            centre.requireCentre();
            Sites.Site site = centre.requireSite(request.pathParam("lms_id"));
            Map<String, Object> view = Views.site(site, System.currentTimeMillis(), centre.settings.offlineAfterIntervals, centre.connected(site));
            view.put("heartbeats", centre.store.recentHeartbeats(site.id, request.queryInt("heartbeats", 20, 1, 500)));
            return view;
        }
    }

    /** {@code GET /api/lms/{lms_id}/clients}. */
    public static final class SiteClients implements RouteHandler {
        private final Centre centre;

        @Inject
        SiteClients(Centre centre) {
            this.centre = centre;
        }

        @Override
        public Object handle(ApiRequest request) {
            centre.requireCentre();
            Sites.Site site = centre.requireSite(request.pathParam("lms_id"));
            long now = System.currentTimeMillis();
            return site.clients.stream().map(uuid -> centre.sites.client(uuid).orElse(null)).filter(java.util.Objects::nonNull)
                    .sorted(Comparator.comparing((Sites.Client c) -> c.name == null ? c.uuid : c.name.toLowerCase(Locale.ROOT)))
                    .map(c -> Views.client(c, site, now, centre.settings.offlineAfterIntervals)).toList();
        }
    }

    /** {@code DELETE /api/lms/{lms_id}}. */
    public static final class DeleteSite implements RouteHandler {
        private final Centre centre;

        @Inject
        DeleteSite(Centre centre) {
            this.centre = centre;
        }

        @Override
        public Object handle(ApiRequest request) {
            centre.requireCentre();
            return centre.delete(request.pathParam("lms_id"));
        }
    }

    /** {@code POST /api/lms/{lms_id}/rotate-key}. */
    public static final class RotateKey implements RouteHandler {
        private final Centre centre;

        @Inject
        RotateKey(Centre centre) {
            this.centre = centre;
        }

        @Override
        public Object handle(ApiRequest request) {
            centre.requireCentre();
            return centre.rotateKey(request.pathParam("lms_id"));
        }
    }

    /** {@code POST /api/clients/register}. */
    public static final class RegisterClient implements RouteHandler {
        private final Centre centre;
        private final Principals principals;

        @Inject
        RegisterClient(Centre centre, Principals principals) {
            this.centre = centre;
            this.principals = principals;
        }

        @Override
        public Object handle(ApiRequest request) {
            centre.requireCentre();
            return centre.registerClient(principals.of(request), request.bodyAsMap());
        }
    }

    /** {@code POST /api/sync}. */
    public static final class Sync implements RouteHandler {
        private final Centre centre;
        private final Principals principals;

        @Inject
        Sync(Centre centre, Principals principals) {
            this.centre = centre;
            this.principals = principals;
        }

        @Override
        public Object handle(ApiRequest request) {
            centre.requireCentre();
            return centre.sync(principals.of(request), request.bodyAsMap());
        }
    }

    /** {@code POST /api/control/command}. */
    public static final class Command implements RouteHandler {
        private final Centre centre;
        private final CommandRouter router;

        @Inject
        Command(Centre centre, CommandRouter router) {
            this.centre = centre;
            this.router = router;
        }

        @Override
        public Object handle(ApiRequest request) {
            centre.requireCentre();
            return router.route(request.bodyAsMap(), request.caller().name());
        }
    }

    /**
     * {@code GET /api/management/clients?q=&lms_id=&status=&limit=&offset=}: the clients of every site and those
     * connected to the centre directly, merged, searched by name, uuid or site name.
     */
    public static final class MergedClients implements RouteHandler {
        private final Centre centre;
        private final Clients clients;

        @Inject
        MergedClients(Centre centre, Clients clients) {
            this.centre = centre;
            this.clients = clients;
        }

        @Override
        public Object handle(ApiRequest request) {
            centre.requireCentre();
            String q = request.queryText("q").map(s -> s.toLowerCase(Locale.ROOT)).orElse(null);
            String lmsId = request.queryText("lms_id").orElse(null);
            String status = request.queryText("status").orElse(null);
            int limit = request.queryInt("limit", 100, 1, 1000);
            int offset = request.queryInt("offset", 0, 0, Integer.MAX_VALUE);
            long now = System.currentTimeMillis();
            int offlineAfter = centre.settings.offlineAfterIntervals;
            List<Map<String, Object>> all = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (ClientInfo info : clients.list()) {
                if ("lms".equals(info.clientType()) || !info.online()) {
                    continue;
                }
                // Connected to the centre's own /ws: reached directly.
                Sites.Client known = centre.sites.client(info.uuid()).orElse(null);
                Map<String, Object> v = known != null ? Views.client(known, known.lmsId == null ? null
                        : centre.sites.site(known.lmsId).orElse(null), now, offlineAfter) : new LinkedHashMap<>();
                v.put("uuid", info.uuid());
                v.putIfAbsent("name", info.name());
                if (v.get("name") == null) {
                    v.put("name", info.name());
                }
                v.put("status", "online");
                v.put("via", "direct");
                all.add(v);
                seen.add(info.uuid());
            }
            for (Sites.Client c : centre.sites.clients()) {
                if (!seen.contains(c.uuid)) {
                    all.add(Views.client(c, c.lmsId == null ? null : centre.sites.site(c.lmsId).orElse(null), now, offlineAfter));
                }
            }
            List<Map<String, Object>> matched = all.stream()
                    .filter(v -> lmsId == null || lmsId.equals(v.get("lms_id")))
                    .filter(v -> status == null || status.equals(v.get("status")))
                    .filter(v -> q == null || contains(v.get("name"), q) || contains(v.get("uuid"), q) || contains(v.get("lms_name"), q))
                    .sorted(Comparator.comparing((Map<String, Object> v) -> String.valueOf(v.get("name") == null ? v.get("uuid") : v.get("name"))
                            .toLowerCase(Locale.ROOT)).thenComparing(v -> String.valueOf(v.get("uuid"))))
                    .toList();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("total", matched.size());
            out.put("offset", offset);
            out.put("limit", limit);
            out.put("items", matched.stream().skip(offset).limit(limit).toList());
            return out;
        }

        private static boolean contains(Object value, String q) {
            return value != null && value.toString().toLowerCase(Locale.ROOT).contains(q);
        }
    }

    /** {@code GET /api/management/clients/{uuid}}: one client, its site and what it synced. */
    public static final class ClientDetail implements RouteHandler {
        private final Centre centre;
        private final Clients clients;

        @Inject
        ClientDetail(Centre centre, Clients clients) {
            this.centre = centre;
            this.clients = clients;
        }

        @Override
        public Object handle(ApiRequest request) throws SQLException {
            centre.requireCentre();
            String uuid = request.pathParam("uuid");
            Sites.Client known = centre.sites.client(uuid).orElse(null);
            ClientInfo direct = clients.find(uuid).filter(c -> !"lms".equals(c.clientType())).orElse(null);
            if (known == null && direct == null) {
                throw ApiException.notFound("CLIENT_NOT_FOUND", "No client '" + uuid + "' is known to this centre.");
            }
            long now = System.currentTimeMillis();
            Map<String, Object> view = known != null
                    ? Views.client(known, known.lmsId == null ? null : centre.sites.site(known.lmsId).orElse(null), now,
                            centre.settings.offlineAfterIntervals)
                    : new LinkedHashMap<>(Map.of("uuid", uuid));
            if (direct != null) {
                view.putIfAbsent("name", direct.name());
                if (view.get("name") == null) {
                    view.put("name", direct.name());
                }
                if (direct.online()) {
                    view.put("status", "online");
                    view.put("via", "direct");
                }
                view.put("capabilities", direct.capabilities());
            }
            view.put("synced", centre.store.synced(uuid));
            return view;
        }
    }

    /** {@code GET /api/management/stats}: counters of the centre (rows written, heartbeats, syncs). */
    public static final class Stats implements RouteHandler {
        private final Centre centre;

        @Inject
        Stats(Centre centre) {
            this.centre = centre;
        }

        @Override
        public Object handle(ApiRequest request) {
            centre.requireCentre();
            Map<String, Object> out = centre.stats();
            long now = System.currentTimeMillis();
            out.put("lms_online", centre.sites.sites().stream().filter(s -> s.online(now, centre.settings.offlineAfterIntervals)).count());
            return out;
        }
    }
}
