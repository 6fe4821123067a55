package org.classtop.api;

import java.time.Instant;
import java.util.Map;

/**
 * Something that happened: an agent's {@code {"type":"event"}} frame, or an event the platform or a
 * plugin published. Names are {@code <plugin>.<name>}, e.g. {@code cctv.recording_started}; the core
 * publishes {@code client.connected}, {@code client.disconnected}, {@code client.state_changed},
 * {@code client.pending}, {@code client.approved}, {@code client.rejected} and {@code client.forgotten}.
 *
 * @param clientUuid the client it concerns, or null
 */
public record Event(String name, String clientUuid, Map<String, Object> data, Instant timestamp) {
    public Event {
        data = data == null ? Map.of() : data;
        timestamp = timestamp == null ? Instant.now() : timestamp;
    }
}
