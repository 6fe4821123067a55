package org.classtop.testplugins;

import jakarta.inject.Inject;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;

/** A handler of an in-process plugin that asks for a platform class. */
public final class PeeksAtPlatform implements CommandHandler {
    @Inject
    public PeeksAtPlatform(PlatformSecret secret) {
    }

    @Override
    public Object handle(CommandRequest request) {
        return "peeked";
    }
}
