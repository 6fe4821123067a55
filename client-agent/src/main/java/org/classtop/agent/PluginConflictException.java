package org.classtop.agent;

/** A plugin declares what another running plugin already provides (a command, a state section). */
final class PluginConflictException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PluginConflictException(String message) {
        super(message);
    }
}
