package org.classtop.core.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
        JsonNode frame;
        try {
            frame = Json.mapper().readTree(text);
        } catch (IOException e) {
            Frames.sendError(session, "The frame is not valid JSON.");
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
            case "state_update" -> stateUpdate(session, frame);
            case "response" -> response(session, frame, text);
            case "event" -> event(session, frame, text);
            case "register" -> enrolment.reRegister(session, frame);
            case "plugins_state" -> plugins.onPluginsState(session, frame);
            default -> Frames.sendError(session, type.isEmpty()
                    ? "A frame needs a \"type\"."
                    : "Unknown frame type '" + type + "'.");
        }
    }

    private void heartbeat(AgentSession session, JsonNode frame) {
        ObjectNode ack = Json.mapper().createObjectNode();
        ack.put("type", "heartbeat_ack");
        JsonNode timestamp = frame.get("timestamp");
        if (timestamp != null && timestamp.isNumber()) {
            ack.set("timestamp", timestamp);
        } else {
            ack.put("timestamp", System.currentTimeMillis() / 1000.0);
        }
        // The agent measures its clock's offset from this, to drop commands whose deadline passed.
        ack.put("server_time", System.currentTimeMillis() / 1000.0);
        session.send(ack.toString());
    }

    @SuppressWarnings("unchecked")
    private void stateUpdate(AgentSession session, JsonNode frame) {
        JsonNode data = frame.get("data");
        if (data == null || !data.isObject()) {
            Frames.sendError(session, "A state_update needs \"data\" as a JSON object.");
            return;
        }
        if (!session.states.tryTake()) {
            Frames.notice(session, "State updates are limited to " + limits.eventsPerMinute() + " a minute; this one was dropped.");
            return;
        }
        ClientState client = session.client();
        Map<String, Object> state = Json.mapper().convertValue(data, Map.class);
        client.setState(state);
        directory.persist(client);
        events.publish(new Event("client.state_changed", client.uuid(), Map.of("state", state), null));
    }

    private void response(AgentSession session, JsonNode frame, String text) {
        String requestId = Frames.text(frame, "request_id");
        if (requestId == null) {
            Frames.sendError(session, "A response needs a \"request_id\".");
            return;
        }
        JsonNode data = frame.get("data");
        Object value = data == null || data.isNull() ? Map.of() : Json.mapper().convertValue(data, Object.class);
        commands.onResponse(session, requestId, frame.path("success").asBoolean(false), value, text.length());
    }

    @SuppressWarnings("unchecked")
    private void event(AgentSession session, JsonNode frame, String text) {
        String name = Frames.text(frame, "event");
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
        JsonNode data = frame.get("data");
        Map<String, Object> map = data != null && data.isObject() ? Json.mapper().convertValue(data, Map.class) : Map.of();
        // Agents' own events are worth keeping: to the event log as well as to listeners.
        Event event = new Event(name, session.client().uuid(), map, null);
        eventLog.append(event);
        events.publish(event);
    }
}
