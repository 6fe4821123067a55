package org.classtop.testing;

import static org.classtop.api.server.HttpMethod.GET;
import static org.classtop.api.server.HttpMethod.PUT;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.agent.CommandException;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerPlugin;

/**
 * A small plugin "notes" with both sides, for the core's tests that need a plugin route driving an agent
 * command: {@code PUT /api/notes/{uuid}/{key}} with {@code {"value":..}} → {@code set_note},
 * {@code GET /api/notes/{uuid}/{key}} → {@code get_note}; the agent keeps the notes in memory.
 */
final class NotesPlugin {
    private NotesPlugin() {
    }

    static final class Server extends ServerPlugin {
        @Override
        protected void configure() {
            route(PUT, "/api/notes/{uuid}/{key}").summary("Write a note on a client").to(PutNote.class);
            route(GET, "/api/notes/{uuid}/{key}").summary("Read a note of a client").to(GetNote.class);
        }
    }

    record Value(String value) {
    }

    static final class PutNote implements RouteHandler {
        private final AgentCommands agents;

        @Inject
        PutNote(AgentCommands agents) {
            this.agents = agents;
        }

        @Override
        public Object handle(ApiRequest request) {
            String key = request.pathParam("key");
            return agents.request(request.pathParam("uuid"), "set_note")
                    .params(Map.of("key", key, "value", String.valueOf(request.body(Value.class).value())))
                    .requestedBy(request.caller())
                    .send();
        }
    }

    static final class GetNote implements RouteHandler {
        private final AgentCommands agents;

        @Inject
        GetNote(AgentCommands agents) {
            this.agents = agents;
        }

        @Override
        public Object handle(ApiRequest request) {
            return agents.send(request.pathParam("uuid"), "get_note", Map.of("key", request.pathParam("key")));
        }
    }

    static final class Agent extends AgentPlugin {
        @Override
        protected void configure() {
            install(new AbstractModule() {
                @Override
                protected void configure() {
                    bind(Notes.class).in(Singleton.class);
                }
            });
            command("set_note").paramsExample("{\"key\":\"theme\",\"value\":\"dark\"}").to(SetNoteCommand.class);
            command("get_note").read().paramsExample("{\"key\":\"theme\"}").to(GetNoteCommand.class);
        }
    }

    static final class Notes {
        final Map<String, String> values = new ConcurrentHashMap<>();
    }

    static final class SetNoteCommand implements CommandHandler {
        private final Notes notes;

        @Inject
        SetNoteCommand(Notes notes) {
            this.notes = notes;
        }

        @Override
        public Object handle(CommandRequest request) {
            String key = request.requireString("key");
            String value = request.requireString("value");
            notes.values.put(key, value);
            return Map.of("key", key, "value", value);
        }
    }

    static final class GetNoteCommand implements CommandHandler {
        private final Notes notes;

        @Inject
        GetNoteCommand(Notes notes) {
            this.notes = notes;
        }

        @Override
        public Object handle(CommandRequest request) {
            String key = request.requireString("key");
            String value = notes.values.get(key);
            if (value == null) {
                throw new CommandException("There is no note '" + key + "'.");
            }
            return Map.of("key", key, "value", value);
        }
    }
}
