package org.classtop.agent;

import com.google.inject.Module;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.classtop.api.Lifecycle;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.StateProvider;

/** What one plugin's {@code configure()} declared, in declaration order. */
final class PluginDeclarations {
    record CommandDeclaration(String name, String description, String paramsExample,
                              Class<? extends CommandHandler> handler) {
    }

    record StateDeclaration(String section, Class<? extends StateProvider> provider) {
    }

    final List<CommandDeclaration> commands = new ArrayList<>();
    final List<StateDeclaration> states = new ArrayList<>();
    final List<Class<? extends Lifecycle>> lifecycles = new ArrayList<>();
    final List<Module> modules = new ArrayList<>();

    /** Every class the runtime creates for this plugin, each once. */
    Set<Class<?>> declaredClasses() {
        Set<Class<?>> classes = new LinkedHashSet<>();
        commands.forEach(command -> classes.add(command.handler()));
        states.forEach(state -> classes.add(state.provider()));
        classes.addAll(lifecycles);
        return classes;
    }
}
