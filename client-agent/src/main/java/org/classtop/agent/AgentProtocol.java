package org.classtop.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's half of the WebSocket protocol (SPEC section 4): the {@code register} frame, the
 * {@code registered} answer (status, heartbeat interval, a newly issued credential), commands and
 * their responses. Frames it does not know are ignored.
 */
final class AgentProtocol implements ServerFrameHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AgentProtocol.class);
    static final int PROTOCOL_VERSION = 1;

    private final AgentConfig config;
    private final AgentIdentityStore identities;
    private final CommandDispatcher commands;
    private final StatePublisher state;
    private final CompletableFuture<Void> firstRegistration;
    private final AgentBinaryLane lane;
    private final AgentEventBuffer events;
    private final PluginSync pluginSync;
    private volatile String lastStatus;
    /** The server's clock minus ours, in seconds, from its last {@code server_time}; NaN until known. */
    private volatile double serverClockOffset = Double.NaN;

    AgentProtocol(AgentConfig config, AgentIdentityStore identities, CommandDispatcher commands, StatePublisher state,
                  CompletableFuture<Void> firstRegistration, AgentBinaryLane lane, AgentEventBuffer events) {
        this(config, identities, commands, state, firstRegistration, lane, events, null);
    }

    /** With {@code pluginSync}, the agent follows the server's {@code plugins} announces. */
    AgentProtocol(AgentConfig config, AgentIdentityStore identities, CommandDispatcher commands, StatePublisher state,
                  CompletableFuture<Void> firstRegistration, AgentBinaryLane lane, AgentEventBuffer events,
                  PluginSync pluginSync) {
        this.config = config;
        this.identities = identities;
        this.commands = commands;
        this.state = state;
        this.firstRegistration = firstRegistration;
        this.lane = lane;
        this.events = events;
        this.pluginSync = pluginSync;
    }

    @Override
    public Map<String, Object> registerFrame() {
        AgentIdentity identity = identities.identity();
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "register");
        frame.put("client_uuid", identity.clientUuid());
        frame.put("name", config.name());
        frame.put("client_type", "client");
        frame.put("protocol", PROTOCOL_VERSION);
        frame.put("agent_version", AgentVersion.current());
        frame.put("capabilities", commands.commandNames());
        frame.put("heartbeat_interval", seconds(config.heartbeat()));
        identity.issuedCredential().or(config::token).ifPresent(token -> frame.put("token", token));
        if (identity.issuedCredential().isPresent()) {
            // Lets the server enrol this agent again with the token once an admin re-enrolled it.
            config.token().ifPresent(token -> frame.put("enrollment_token", token));
        }
        return frame;
    }

    @Override
    public void onFrame(AgentConnection connection, Map<String, Object> frame) {
        Object type = frame.get("type");
        if (frame.get("server_time") instanceof Number serverTime) {
            serverClockOffset = serverTime.doubleValue() - System.currentTimeMillis() / 1000.0;
        }
        if ("command".equals(type)) {
            if (expired(frame)) {
                LOG.warn("Dropped command '{}' ({}): it arrived after its deadline, when the server had already given up on it",
                        frame.get("command"), frame.get("request_id"));
                return;
            }
            commands.dispatch(frame).thenAccept(response -> reply(connection, response));
        } else if ("registered".equals(type)) {
            onRegistered(connection, frame);
        } else if ("stream_credit".equals(type)) {
            if (frame.get("transfer_id") instanceof Number id && frame.get("bytes") instanceof Number bytes) {
                lane.credit(id.longValue(), bytes.longValue());
            }
        } else if ("stream_abort".equals(type)) {
            if (frame.get("transfer_id") instanceof Number id) {
                LOG.warn("The server aborted transfer {} of stream {}: {}", id, frame.get("stream"), frame.get("reason"));
                lane.abortedByServer(id.longValue(), frame.get("reason") instanceof String reason ? reason : null);
            }
        } else if ("plugins".equals(type)) {
            if (pluginSync != null) {
                pluginSync.announce(AnnouncedPlugins.parse(frame));
            }
        } else if ("heartbeat_ack".equals(type)) {
            LOG.trace("heartbeat_ack");
        } else if ("error".equals(type)) {
            LOG.warn("The server reports an error: {}", frame.getOrDefault("error", frame.get("message")));
        } else {
            LOG.debug("Ignoring a frame of type '{}'", type);
        }
    }

    private void onRegistered(AgentConnection connection, Map<String, Object> frame) {
        if (frame.get("credential") instanceof String credential && !credential.isBlank()) {
            try {
                identities.saveCredential(credential);
                LOG.info("The server issued a credential; it is kept in {}", identities.file());
            } catch (IOException | UncheckedIOException e) {
                LOG.error("The credential the server issued could not be saved to {}: {}", identities.file(),
                        e.getMessage());
            }
        }
        if (frame.get("heartbeat_interval") instanceof Number interval && interval.doubleValue() > 0) {
            connection.changeHeartbeat(Duration.ofMillis(Math.round(interval.doubleValue() * 1000)));
        }
        String status = frame.get("status") instanceof String text ? text : "approved";
        if (!status.equals(lastStatus)) {
            if ("pending".equals(status)) {
                LOG.info("Registered with {} as {}: waiting for an admin to approve this agent", connection.uri(),
                        identities.identity().clientUuid());
            } else {
                LOG.info("Registered with {} as {} ({})", connection.uri(), identities.identity().clientUuid(), status);
            }
            lastStatus = status;
        }
        connection.markRegistered();
        if (!"pending".equals(status)) {
            // A pending agent may only wait: the server ignores its state until approval, which comes as a
            // new 'registered' frame, and then the state goes.
            state.publishTo(connection);
            lane.attach(connection);
            events.attach(connection);
            if (pluginSync != null) {
                pluginSync.reportSoon();
            }
        }
        firstRegistration.complete(null);
    }

    /**
     * Whether a command's {@code deadline} (server time) has passed: its caller got a time-out, so running
     * it now would surprise them. Unknown clock offset or no deadline: run it.
     */
    boolean expired(Map<String, Object> command) {
        double offset = serverClockOffset;
        if (!(command.get("deadline") instanceof Number deadline) || Double.isNaN(offset)) {
            return false;
        }
        return System.currentTimeMillis() / 1000.0 + offset > deadline.doubleValue();
    }

    private static void reply(AgentConnection connection, Map<String, Object> response) {
        try {
            if (!connection.send(response)) {
                LOG.info("The answer to request {} was not sent: the connection is gone", response.get("request_id"));
            }
        } catch (UncheckedIOException | IllegalArgumentException e) {
            LOG.error("The answer to request {} could not be turned into JSON", response.get("request_id"), e);
            connection.send(CommandDispatcher.failure(response.get("request_id"),
                    "The agent could not turn the answer into JSON."));
        }
    }

    /** Whole seconds as an integer, otherwise a fraction. */
    static Number seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? (Number) (millis / 1000) : (Number) (millis / 1000.0);
    }
}
