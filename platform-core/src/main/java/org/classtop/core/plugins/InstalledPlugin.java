package org.classtop.core.plugins;

import java.util.ArrayList;
import java.util.List;
import org.classtop.api.Lifecycle;
import org.classtop.api.Registration;
import org.classtop.pluginloader.AgentDeclarations;

/** One plugin as the server holds it: what it registered, so stopping it removes exactly that. */
final class InstalledPlugin {
    final String id;
    final String version;
    final String description;
    final String source;
    final ClassLoader classLoader;
    final List<Registration> registrations = new ArrayList<>();
    final List<Lifecycle> lifecycles = new ArrayList<>();
    final List<String> routes = new ArrayList<>();
    final List<String> panels = new ArrayList<>();
    final List<AgentDeclarations.CommandDeclaration> commands = new ArrayList<>();
    final List<String> listeners = new ArrayList<>();
    volatile String state = "loading";
    volatile String error;

    InstalledPlugin(String id, String version, String description, String source, ClassLoader classLoader) {
        this.id = id;
        this.version = version;
        this.description = description;
        this.source = source;
        this.classLoader = classLoader;
    }
}
