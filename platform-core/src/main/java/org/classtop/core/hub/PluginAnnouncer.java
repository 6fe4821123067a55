package org.classtop.core.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.classtop.core.json.Json;

/**
 * The agent side of the plugin manager (docs/protocol.md): the {@code plugins} frame to each approved agent
 * (after {@code registered}, after approval, and to all whenever the set changes) with the session's
 * download token, and the {@code plugins_state} each agent reports back, kept per session and counted for
 * {@code GET /api/plugins}.
 */
@Singleton
public final class PluginAnnouncer {
    /** The most plugins one {@code plugins_state} may list. */
    static final int MAX_STATES = 256;
    /** Strings of a {@code plugins_state} entry are cut to this length. */
    static final int MAX_TEXT = 200;

    private final AgentSessions sessions;
    /** The set agents are told, in one piece; null until the server computed the first one at start-up. */
    private volatile Announced current;

    /** A set as told: {@code framePrefix} is the {@code plugins} frame up to the session's download token. */
    private record Announced(List<Map<String, Object>> plugins, List<String> off, String framePrefix) {
        Announced(List<Map<String, Object>> plugins, List<String> off) {
            this(plugins, off, framePrefix(plugins, off));
        }

        private static String framePrefix(List<Map<String, Object>> plugins, List<String> off) {
            ObjectNode frame = Json.mapper().createObjectNode();
            frame.put("type", "plugins");
            frame.set("plugins", Json.mapper().valueToTree(plugins));
            frame.set("off", Json.mapper().valueToTree(off));
            frame.put("download_token", "");
            String whole = frame.toString();
            // Ends with "download_token":""} : the token goes between the quotes (ctd_ and base64url, nothing to escape).
            return whole.substring(0, whole.length() - 2);
        }

        String frameFor(String downloadToken) {
            return framePrefix + downloadToken + "\"}";
        }
    }

    @Inject
    public PluginAnnouncer(AgentSessions sessions) {
        this.sessions = sessions;
    }

    private volatile java.util.function.Consumer<java.util.Set<String>> agentsChanged = ids -> { };

    /** Told the ids whose {@link #agentsOf} changed: an agent reported other states, or one with plugins left. */
    public void onAgentsChanged(java.util.function.Consumer<java.util.Set<String>> listener) {
        this.agentsChanged = listener;
    }

    /** The new plugin set, sent to every approved agent at once. */
    public synchronized void announce(List<Map<String, Object>> plugins, List<String> off) {
        current = new Announced(List.copyOf(plugins), List.copyOf(off));
        for (AgentSession session : sessions.all()) {
            if (session.approved()) {
                sendTo(session);
            }
        }
    }

    /**
     * Sends the current set to one approved agent; nothing before the first set is known (an agent that registers
     * while the server starts gets it from the first {@link #announce}, never an empty set). Synchronized with
     * {@link #announce} so frames leave in the order the sets were made.
     */
    synchronized void sendTo(AgentSession session) {
        Announced announced = current;
        if (announced == null) {
            return;
        }
        session.send(announced.frameFor(session.downloadToken()));
    }

    /** The uuid of the client whose open, approved session holds {@code token}; empty for any other token. */
    public Optional<String> clientOfToken(String token) {
        if (token == null || !token.startsWith("ctd_")) {
            return Optional.empty();
        }
        byte[] offered = token.getBytes(StandardCharsets.US_ASCII);
        for (AgentSession session : sessions.all()) {
            if (MessageDigest.isEqual(offered, session.downloadToken().getBytes(StandardCharsets.US_ASCII))
                    && session.approved() && !session.isClosed() && session.client() != null
                    && sessions.get(session.client().uuid()) == session) {
                return Optional.of(session.client().uuid());
            }
        }
        return Optional.empty();
    }

    /** An agent's {@code plugins_state}: kept for its session, bounded; a frame over the bounds is dropped. */
    void onPluginsState(AgentSession session, JsonNode frame) {
        JsonNode list = frame.get("plugins");
        if (list == null || !list.isArray()) {
            Frames.sendError(session, "A plugins_state needs \"plugins\" as a JSON array.");
            return;
        }
        if (list.size() > MAX_STATES) {
            Frames.sendError(session, "A plugins_state may list at most " + MAX_STATES + " plugins; this one listed "
                    + list.size() + " and was dropped.");
            return;
        }
        if (!session.states.tryTake()) {
            Frames.notice(session, "plugins_state frames count as state updates, which are limited; this one was dropped.");
            return;
        }
        List<Map<String, String>> kept = new ArrayList<>();
        for (JsonNode entry : list) {
            if (!entry.isObject() || Frames.text(entry, "id") == null) {
                continue;
            }
            Map<String, String> state = new LinkedHashMap<>();
            for (String field : List.of("id", "version", "sha256", "state", "error")) {
                String value = Frames.text(entry, field);
                state.put(field, value == null ? null : Frames.bounded(value, MAX_TEXT));
            }
            kept.add(state);
        }
        List<Map<String, String>> before = session.pluginsState();
        session.setPluginsState(List.copyOf(kept));
        if (session.pluginsWatched.compareAndSet(false, true)) {
            session.whenClosed(() -> {
                java.util.Set<String> ids = idsOf(session.pluginsState());
                if (!ids.isEmpty()) {
                    agentsChanged.accept(ids);
                }
            });
        }
        if (session.approved()) {
            java.util.Set<String> changed = new java.util.TreeSet<>();
            java.util.Set<Map<String, String>> was = new java.util.HashSet<>(before);
            java.util.Set<Map<String, String>> now = new java.util.HashSet<>(kept);
            before.stream().filter(state -> !now.contains(state)).forEach(state -> changed.add(state.get("id")));
            kept.stream().filter(state -> !was.contains(state)).forEach(state -> changed.add(state.get("id")));
            if (!changed.isEmpty()) {
                agentsChanged.accept(changed);
            }
        }
    }

    private static java.util.Set<String> idsOf(List<Map<String, String>> states) {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        states.forEach(state -> ids.add(state.get("id")));
        return ids;
    }

    /** What connected, approved agents run of plugin {@code id}: one entry per version, hash and state, counted. */
    public List<Map<String, Object>> agentsOf(String id) {
        Map<List<String>, Integer> counts = new LinkedHashMap<>();
        for (AgentSession session : sessions.all()) {
            if (!session.approved() || session.isClosed()) {
                continue;
            }
            for (Map<String, String> state : session.pluginsState()) {
                if (id.equals(state.get("id"))) {
                    counts.merge(java.util.Arrays.asList(state.get("version"), state.get("sha256"), state.get("state")), 1,
                            Integer::sum);
                }
            }
        }
        List<Map<String, Object>> agents = new ArrayList<>();
        counts.forEach((key, count) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("version", key.get(0));
            entry.put("sha256", key.get(1));
            entry.put("state", key.get(2));
            entry.put("count", count);
            agents.add(entry);
        });
        return agents;
    }
}
