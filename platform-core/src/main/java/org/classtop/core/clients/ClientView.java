package org.classtop.core.clients;

import java.util.LinkedHashMap;
import java.util.Map;
import org.classtop.api.server.ClientInfo;

/** The JSON view of a client, the same in the REST API and the live feed: the seed's fields plus enrolment and agent details. */
public final class ClientView {
    private ClientView() {
    }

    public static Map<String, Object> of(ClientInfo c) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("uuid", c.uuid());
        view.put("name", c.name());
        view.put("ip_address", c.ipAddress());
        view.put("status", c.online() ? "online" : "offline");
        view.put("online", c.online());
        view.put("enrollment", c.enrollment());
        view.put("last_seen", c.lastSeen());
        view.put("first_seen", c.firstSeen());
        view.put("client_type", c.clientType());
        view.put("agent_version", c.agentVersion());
        view.put("capabilities", c.capabilities());
        view.put("state", c.state());
        return view;
    }
}
