package org.classtop.api.server;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** What a plugin may know about the server it runs in. Injected into any class of a server plugin. */
public interface ServerInfo {
    /** {@code lms} or {@code management} (SPEC section 2, {@code --role}). */
    String role();

    /** The platform's version. */
    String version();

    /** The server's data folder (a plugin keeps its own files in {@code PluginContext.dataDir()}). */
    Path dataDir();

    /**
     * The server's own flags a plugin may read, by flag name without dashes, e.g. {@code management-url},
     * {@code management-interval}, {@code enrollment} (no secrets: not the management token). Only flags that are set.
     */
    Map<String, String> flags();

    default Optional<String> flag(String name) {
        return Optional.ofNullable(flags().get(name));
    }

    /**
     * A secret flag, offered only to the plugin the platform grants it to, by flag name without dashes. Today one:
     * {@code management-token} ({@code --management-token}, {@code MANAGEMENT_REGISTRATION_TOKEN}), granted to the
     * plugin {@code management-sync}, which presents it to register an LMS with its management server. Any other
     * plugin, an unknown name or an unset flag gets empty; secrets never appear in {@link #flags()}.
     */
    default Optional<String> secret(String name) {
        return Optional.empty();
    }
}
