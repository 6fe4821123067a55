package org.classtop.api.server;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A client machine as the server knows it.
 *
 * @param enrollment   {@code pending}, {@code approved} or {@code rejected}
 * @param online       connected right now
 * @param state        the latest {@code state_update} data, e.g. {@code {"settings":{..}}}
 * @param capabilities the command names its agent reported (empty for a legacy client)
 */
public record ClientInfo(String uuid, String name, String ipAddress, String enrollment, boolean online,
                         Instant lastSeen, Instant firstSeen, String clientType, String agentVersion,
                         List<String> capabilities, Map<String, Object> state) {
}
