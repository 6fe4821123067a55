package org.classtop.pluginloader;

import com.google.inject.Module;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.classtop.api.Lifecycle;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.StateProvider;

/**
 * What one {@link org.classtop.api.agent.AgentPlugin}'s {@code configure()} declared, in declaration order.
 * The agent wires it; the server reads it to list each plugin's commands.
 */
public final class AgentDeclarations {
    public record CommandDeclaration(String name, String description, String paramsExample,
                              Class<? extends CommandHandler> handler) {
    }

    public record StateDeclaration(String section, Class<? extends StateProvider> provider) {
    }

    public final List<CommandDeclaration> commands = new ArrayList<>();
    public final List<StateDeclaration> states = new ArrayList<>();
    public final List<Class<? extends Lifecycle>> lifecycles = new ArrayList<>();
    public final List<Module> modules = new ArrayList<>();

    /** Every class the runtime creates for this plugin, each once. */
    public Set<Class<?>> declaredClasses() {
        Set<Class<?>> classes = new LinkedHashSet<>();
        commands.forEach(command -> classes.add(command.handler()));
        states.forEach(state -> classes.add(state.provider()));
        classes.addAll(lifecycles);
        return classes;
    }
}
