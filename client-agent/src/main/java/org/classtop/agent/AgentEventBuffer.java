package org.classtop.agent;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plugin events on their way to the server. While the agent is connected and approved they go at once;
 * otherwise they wait here, at most {@code capacity} of them (the oldest is dropped and counted), and go
 * in order once the server approves the next connection, followed by an {@code agent.events_dropped}
 * event {@code {"dropped":n}} when some were lost.
 */
final class AgentEventBuffer {
    private static final Logger LOG = LoggerFactory.getLogger(AgentEventBuffer.class);
    static final int DEFAULT_CAPACITY = 1_000;
    static final String DROPPED_EVENT = "agent.events_dropped";

    private final int capacity;
    // Guarded by this.
    private final ArrayDeque<Map<String, Object>> waiting = new ArrayDeque<>();
    private AgentConnection connection;
    private long dropped;
    private long droppedTotal;

    AgentEventBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("The event buffer needs room for at least one event.");
        }
        this.capacity = capacity;
    }

    /** Sends the event, or keeps it until the next approved connection. */
    synchronized void emit(String event, Map<String, Object> data) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "event");
        frame.put("event", event);
        frame.put("data", data);
        if (connection != null && connection.isRegistered() && waiting.isEmpty() && connection.send(frame)) {
            return;
        }
        keep(frame);
    }

    private void keep(Map<String, Object> frame) {
        if (waiting.size() >= capacity) {
            waiting.poll();
            dropped++;
            droppedTotal++;
        }
        waiting.add(frame);
    }

    /** The server approved {@code approved}: what waited goes now, in order, then the count of what was lost. */
    synchronized void attach(AgentConnection approved) {
        connection = approved;
        Map<String, Object> frame;
        while ((frame = waiting.peek()) != null) {
            if (!approved.send(frame)) {
                return; // gone again: the rest waits for the next connection
            }
            waiting.poll();
        }
        if (dropped > 0) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("type", "event");
            report.put("event", DROPPED_EVENT);
            report.put("data", Map.of("dropped", dropped));
            if (approved.send(report)) {
                LOG.warn("{} events raised while disconnected were dropped (the buffer keeps {})", dropped, capacity);
                dropped = 0;
            }
        }
    }

    /** Events waiting for a connection. */
    synchronized int waiting() {
        return waiting.size();
    }

    /** Events dropped since the agent started. */
    synchronized long droppedTotal() {
        return droppedTotal;
    }
}
