package org.classtop.testplugins;

import jakarta.inject.Inject;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;
import org.classtop.api.server.Events;

/** A handler that asks for a plugin-api type the platform binds. */
public final class UsesEvents implements CommandHandler {
    public static volatile Events seen;

    @Inject
    public UsesEvents(Events events) {
        seen = events;
    }

    @Override
    public Object handle(CommandRequest request) {
        return "ok";
    }
}
