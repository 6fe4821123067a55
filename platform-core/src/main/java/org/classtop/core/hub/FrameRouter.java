package org.classtop.core.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.websockets.core.CloseMessage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Map;
import org.classtop.api.Event;
import org.classtop.core.clients.ClientDirectory;
import org.classtop.core.clients.ClientState;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.events.EventDispatcher;
import org.classtop.core.json.Json;
import org.classtop.core.storage.EventLogRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes an agent's text frames by {@code type}: registration to {@link AgentEnrolment}, answers to the
 * command bus ({@link CommandAnswers}), heartbeats, state updates and events here. Runs on the connection's
 * I/O thread and only touches memory; writes go behind through the storage writer.
 */
@Singleton
public final class FrameRouter {
    private static final Logger LOG = LoggerFactory.getLogger(FrameRouter.class);
    /** Frames a minute a connection that is not approved may send (it may only register and heartbeat). */
    static final int UNAPPROVED_FRAMES_PER_MINUTE = 120;
    private static final String NOT_JSON = "The frame is not valid JSON.";
    /** Frame types an approved agent's frame is read as for, straight into maps (see {@link #onMapFrame}). */
    private static final java.util.Set<String> READ_AS_MAP = java.util.Set.of("response", "event", "state_update");
    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> MAP = new com.fasterxml.jackson.core.type.TypeReference<>() {
    };

    private final AgentSessions sessions;
    private final AgentEnrolment enrolment;
    private final CommandAnswers commands;
    private final ClientDirectory directory;
    private final EventDispatcher events;
    private final EventLogRepository eventLog;
    private final ServerConfig.AgentLimits limits;
    private final PluginAnnouncer plugins;

    @Inject
    public FrameRouter(AgentSessions sessions, AgentEnrolment enrolment, CommandAnswers commands, ClientDirectory directory,
                       EventDispatcher events, EventLogRepository eventLog, ServerConfig config, PluginAnnouncer plugins) {
        this.plugins = plugins;
        this.sessions = sessions;
        this.enrolment = enrolment;
        this.commands = commands;
        this.directory = directory;
        this.events = events;
        this.eventLog = eventLog;
        this.limits = config.limits();
    }

    void onText(AgentSession session, String text) {
        session.touch();
        if (!session.approved() && !session.unapprovedFrames.tryTake()) {
            LOG.warn("Closing {}: more than {} messages a minute before approval", AgentSessions.describe(session), UNAPPROVED_FRAMES_PER_MINUTE);
            session.close(CloseMessage.MSG_VIOLATES_POLICY, "Too many messages: a client waiting for approval may only register and send heartbeats.");
            sessions.closed(session);
            return;
        }
        FramePeek.Peek peek = FramePeek.peek(text, session.registered());   // one pass, no tree
        if (peek.ack() != null) {
            session.send(peek.ack());
            return;
        }
        String firstType = peek.type();
        if (session.approved() && firstType != null && READ_AS_MAP.contains(firstType)) {
            onMapFrame(session, firstType, text);
            return;
        }
        JsonNode frame;
        try {
            frame = Json.mapper().readTree(text);
        } catch (IOException e) {
            Frames.sendError(session, NOT_JSON);
            return;
        }
        if (frame == null || !frame.isObject()) {
            Frames.sendError(session, "A frame must be a JSON object.");
            return;
        }
        String type = frame.path("type").asText("");
        if (!session.registered()) {
            boolean explicit = type.equals("register");
            if (!enrolment.register(session, frame, !explicit) || explicit || type.isEmpty()) {
                return;
            }
        }
        if (!session.approved() && !type.equals("heartbeat") && !type.equals("register")) {
            // A client waiting for approval may only wait: its state, events and answers are not kept.
            Frames.notice(session, "This client waits for an administrator's approval: its '" + type + "' messages are ignored until then.");
            return;
        }
        switch (type) {
            case "heartbeat" -> heartbeat(session, frame);
            case "state_update" -> stateUpdate(session, asMap(frame));
            case "response" -> response(session, asMap(frame), text);
            case "event" -> event(session, asMap(frame), text);
            case "register" -> enrolment.reRegister(session, frame);
            case "plugins_state" -> plugins.onPluginsState(session, frame);
            default -> Frames.sendError(session, type.isEmpty()
                    ? "A frame needs a \"type\"."
                    : "Unknown frame type '" + type + "'.");
        }
    }

    /** A heartbeat the fast path left to the full reading (a legacy client's first frame, fields in another order). */
    private void heartbeat(AgentSession session, JsonNode frame) {
        JsonNode timestamp = frame.get("timestamp");
        session.send(FramePeek.heartbeatAck(timestamp != null && timestamp.isNumber() ? timestamp : null));
    }

    /**
     * A registered, approved agent's response, event or state update (type first, as agents write it): read once,
     * straight into maps, no JSON tree. The strict reading refuses the same frames as the tree reading.
     */
    private void onMapFrame(AgentSession session, String type, String text) {
        Map<String, Object> frame;
        try {
            frame = Json.mapper().readValue(text, MAP);
        } catch (IOException e) {
            Frames.sendError(session, NOT_JSON);
            return;
        }
        switch (type) {
            case "state_update" -> stateUpdate(session, frame);
            case "response" -> response(session, frame, text);
            default -> event(session, frame, text);
        }
    }

    private static Map<String, Object> asMap(JsonNode frame) {
        return Json.mapper().convertValue(frame, MAP);
    }

    @SuppressWarnings("unchecked")
    private void stateUpdate(AgentSession session, Map<String, Object> frame) {
        if (!(frame.get("data") instanceof Map<?, ?> data)) {
            Frames.sendError(session, "A state_update needs \"data\" as a JSON object.");
            return;
        }
        if (!session.states.tryTake()) {
            Frames.notice(session, "State updates are limited to " + limits.eventsPerMinute() + " a minute; this one was dropped.");
            return;
        }
        ClientState client = session.client();
        Map<String, Object> state = (Map<String, Object>) data;
        client.setState(state);
        directory.persist(client);
        events.publish(new Event("client.state_changed", client.uuid(), Map.of("state", state), null));
    }

    private void response(AgentSession session, Map<String, Object> frame, String text) {
        String requestId = text(frame, "request_id");
        if (requestId == null) {
            Frames.sendError(session, "A response needs a \"request_id\".");
            return;
        }
        Object data = frame.get("data");
        commands.onResponse(session, requestId, asBoolean(frame.get("success")), data == null ? Map.of() : data, text.length());
    }

    @SuppressWarnings("unchecked")
    private void event(AgentSession session, Map<String, Object> frame, String text) {
        String name = text(frame, "event");
        if (name == null || name.length() > 128) {
            Frames.sendError(session, "An event needs an \"event\" name of at most 128 characters.");
            return;
        }
        if (Utf8.longerThan(text, limits.maxEventBytes())) {
            LOG.warn("Dropped event {} of {}: larger than {} bytes", name, AgentSessions.describe(session), limits.maxEventBytes());
            Frames.notice(session, "Event '" + name + "' was dropped: events are limited to " + limits.maxEventBytes() + " bytes.");
            return;
        }
        if (!session.events.tryTake()) {
            if (session.mayNotice()) {
                long dropped = session.events.takeRefused();
                LOG.warn("Dropped {} events of {}: more than {} a minute", dropped, AgentSessions.describe(session), limits.eventsPerMinute());
                Frames.sendError(session, dropped + " events were dropped: events are limited to " + limits.eventsPerMinute() + " a minute.");
            }
            return;
        }
        Map<String, Object> map = frame.get("data") instanceof Map<?, ?> data ? (Map<String, Object>) data : Map.of();
        // Agents' own events are worth keeping: to the event log as well as to listeners.
        Event event = new Event(name, session.client().uuid(), map, null);
        eventLog.append(event);
        events.publish(event);
    }

    /** A non-blank text field, or null (as {@link Frames#text} for a tree). */
    private static String text(Map<String, Object> frame, String field) {
        return frame.get(field) instanceof String value && !value.isBlank() ? value : null;
    }

    /** What Jackson's {@code asBoolean(false)} gives for the same value in a tree. */
    private static boolean asBoolean(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue() != 0;
        }
        if (value instanceof java.math.BigInteger big) {
            return big.signum() != 0;
        }
        return value instanceof String s && "true".equals(s.trim());
    }
}
