package org.classtop.plugins.managementsync.centre;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes the centre answers with. API keys never appear here. */
final class Views {
    private Views() {
    }

    static String iso(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
    }

    static Map<String, Object> site(Sites.Site s, long now, int offlineAfterIntervals, boolean connected) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("lms_id", s.id);
        v.put("lms_uuid", s.lmsUuid);
        v.put("name", s.name);
        v.put("host", s.host);
        v.put("port", s.port);
        v.put("version", s.version);
        v.put("status", s.online(now, offlineAfterIntervals) ? "online" : "offline");
        v.put("last_heartbeat", iso(s.lastHeartbeat));
        v.put("heartbeat_interval", s.interval);
        v.put("client_count", s.clientCount);
        v.put("online_count", s.onlineCount);
        v.put("outbox", s.outbox);
        v.put("connected", connected);
        v.put("registered_at", iso(s.registeredAt));
        return v;
    }

    static Map<String, Object> client(Sites.Client c, Sites.Site site, long now, int offlineAfterIntervals) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("uuid", c.uuid);
        v.put("name", c.name);
        boolean siteOnline = site != null && site.online(now, offlineAfterIntervals);
        // What its LMS last said, unless the LMS itself stopped reporting.
        v.put("status", site == null ? (c.status == null ? "unknown" : c.status) : siteOnline ? c.status : "unknown");
        v.put("reported_status", c.status);
        v.put("lms_id", site == null ? null : site.id);
        v.put("lms_name", site == null ? null : site.name);
        v.put("site_status", site == null ? null : siteOnline ? "online" : "offline");
        v.put("api_url", c.apiUrl);
        v.put("has_client_key", c.keyHash != null);
        v.put("first_seen", iso(c.firstSeen));
        v.put("last_sync", iso(c.lastSync));
        v.put("via", site == null ? "none" : "lms");
        return v;
    }
}
