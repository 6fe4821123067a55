package org.classtop.pluginloader;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.StateProvider;
import org.classtop.api.agent.SyncProvider;

/**
 * What one {@link org.classtop.api.agent.AgentPlugin}'s {@code configure()} declared, in declaration order.
 * The agent wires it; the server reads it to list each plugin's commands.
 */
public final class AgentDeclarations extends PluginDeclarations {
    /** descriptions: the description per language tag (besides the English {@code description}); read: changes nothing. */
    public record CommandDeclaration(String name, String description, String paramsExample,
                              Class<? extends CommandHandler> handler, Map<String, String> descriptions, boolean read) {
        public CommandDeclaration {
            descriptions = Map.copyOf(descriptions);
        }

        public CommandDeclaration(String name, String description, String paramsExample,
                                  Class<? extends CommandHandler> handler) {
            this(name, description, paramsExample, handler, Map.of(), false);
        }
    }

    public record StateDeclaration(String section, Class<? extends StateProvider> provider) {
    }

    /** A section of the dual-mode sync ({@link org.classtop.api.agent.SyncProvider}). */
    public record SyncDeclaration(String name, Class<? extends SyncProvider> provider) {
    }

    /** Names the {@code POST /api/sync} body uses itself. */
    public static final Set<String> RESERVED_SYNC_NAMES = Set.of("client_uuid", "timestamp", "sync_id");

    public final List<CommandDeclaration> commands = new ArrayList<>();
    public final List<SyncDeclaration> syncs = new ArrayList<>();
    public final List<StateDeclaration> states = new ArrayList<>();

    public AgentDeclarations(String pluginId) {
        super(pluginId);
    }

    @Override
    protected Set<Class<?>> sideClasses() {
        Set<Class<?>> classes = new LinkedHashSet<>();
        commands.forEach(command -> classes.add(command.handler()));
        states.forEach(state -> classes.add(state.provider()));
        syncs.forEach(sync -> classes.add(sync.provider()));
        return classes;
    }

    void commandStarted(String name) {
        started(commandWhat(name));
    }

    void commandFinished(String name) {
        finished(commandWhat(name));
    }

    private static String commandWhat(String name) {
        return "command '" + name + "' (call .to(Handler.class))";
    }
}
